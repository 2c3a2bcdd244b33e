import type { Image } from '@aws-sdk/client-ec2';
import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import type { AmiOutput } from '../outputs.js';

function toOutput(image: Image): AmiOutput {
  return {
    imageId: image.ImageId ?? '',
    name: image.Name ?? '',
    creationDate: image.CreationDate ?? '',
    rootDeviceName: image.RootDeviceName,
  };
}

/** Newest first by CreationDate (ISO 8601 strings sort as dates); ties by name, newest version last. */
export function newestImage(images: Image[]): Image | undefined {
  return [...images].sort(
    (a, b) =>
      (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
      (b.Name ?? '').localeCompare(a.Name ?? ''),
  )[0];
}

async function lookUp(ctx: ResourceContext): Promise<AmiOutput> {
  const ec2 = await ctx.aws.ec2();
  const ami = ctx.config.instance.ami;
  const region = ctx.config.region;
  if (typeof ami === 'string') {
    const notFound = (cause?: unknown) =>
      ctx.error({
        code: 'AMI_NOT_FOUND',
        message: `instance.ami: the image ${ami} does not exist in ${region} or is not available to this account.`,
        suggestions: [
          'AMI ids differ per region: look the image up in this region, or use a filter: `ami: { filter: "al2023-ami-2023.*-x86_64", owner: amazon }`.',
        ],
        exitCode: 2,
        details: { key: 'instance.ami', value: ami, region },
        cause,
      });
    try {
      const { Images = [] } = await ec2.describeImages({ ImageIds: [ami] });
      const image = Images.find((i) => i.ImageId === ami);
      if (!image) throw notFound();
      if (image.State && image.State !== 'available') {
        throw ctx.error({
          code: 'AMI_NOT_AVAILABLE',
          message: `instance.ami: the image ${ami} is ${image.State}, not available.`,
          exitCode: 2,
          details: { key: 'instance.ami', value: ami, region },
        });
      }
      return toOutput(image);
    } catch (error) {
      const code = ctx.awsErrorCode(error);
      if (
        code === 'InvalidAMIID.NotFound' ||
        code === 'InvalidAMIID.Malformed' ||
        code === 'InvalidAMIID.Unavailable'
      ) {
        throw notFound(error);
      }
      throw error;
    }
  }
  const { filter, owner } = ami;
  const { Images = [] } = await ec2.describeImages({
    Owners: [owner],
    Filters: [
      { Name: 'name', Values: [filter] },
      { Name: 'state', Values: ['available'] },
    ],
  });
  const image = newestImage(Images);
  if (!image) {
    throw ctx.error({
      code: 'AMI_NOT_FOUND',
      message: `No available image named "${filter}" owned by ${owner} in ${region}.`,
      suggestions: [
        'Check instance.ami.filter and instance.ami.owner (the default is al2023-ami-2023.*-x86_64 owned by amazon).',
        'Or set instance.ami to an image id that exists in this region.',
      ],
      exitCode: 2,
      details: { key: 'instance.ami', filter, owner, region },
    });
  }
  return toOutput(image);
}

/** compute.ami: the image instances launch from — a fixed id (validated) or the newest filter match. */
export function amiResource(): ResourceOf<'compute.ami'> {
  return {
    id: 'compute.ami',
    title: 'Machine image',
    kind: 'data',
    dependsOn: [],
    iam: ['ec2:DescribeImages'],
    discover: (ctx) => ctx.once('compute.ami', () => lookUp(ctx)),
    create: (ctx) => ctx.once('compute.ami', () => lookUp(ctx)),
    async destroy() {
      // A looked-up image is not ours to delete.
    },
    async status(_ctx, found) {
      return [
        { name: found.name, id: found.imageId, state: 'available', detail: `created ${found.creationDate}` },
      ];
    },
    summarize: (found) => ({ imageId: found.imageId, imageName: found.name }),
  };
}
