import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters, paginate } from '../filters.js';
import type { ImageRec } from '../state.js';
import { type ActionDef, checkMaxResults, tagsOut } from './common.js';

export function imageOut(ctx: SimContext, i: ImageRec) {
  return {
    ImageId: i.id,
    ImageLocation: `${i.ownerAlias ?? i.ownerId}/${i.name}`,
    State: 'available',
    OwnerId: i.ownerId,
    ImageOwnerAlias: i.ownerAlias,
    CreationDate: i.creationDate,
    Public: true,
    Architecture: i.arch,
    ImageType: 'machine',
    Name: i.name,
    Description: i.description,
    RootDeviceType: 'ebs',
    RootDeviceName: i.rootDevice,
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    BootMode: i.name.startsWith('al2023') ? 'uefi-preferred' : undefined,
    ImdsSupport: i.name.startsWith('al2023') ? 'v2.0' : undefined,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    BlockDeviceMappings: [
      {
        DeviceName: i.rootDevice,
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: 'snap-0' + i.id.slice(5, 21),
          VolumeSize: i.volumeSize,
          VolumeType: i.name.startsWith('al2023') ? 'gp3' : 'gp2',
          Encrypted: false,
          Iops: i.name.startsWith('al2023') ? 3000 : undefined,
          Throughput: i.name.startsWith('al2023') ? 125 : undefined,
        },
      },
    ],
    Tags: tagsOut(ctx, i.id),
  };
}

export function checkImageId(id: string): void {
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id))
    throw err('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
}

export const imageActions: Record<string, ActionDef> = {
  DescribeImages: {
    mutating: false,
    fn(ctx, input) {
      checkMaxResults(input.MaxResults);
      let images = ctx.state.images;
      const ids: string[] = input.ImageIds ?? [];
      if (ids.length) {
        ids.forEach(checkImageId);
        const missing = ids.filter((id) => !images.some((i) => i.id === id));
        if (missing.length)
          throw err('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
        images = images.filter((i) => ids.includes(i.id));
      }
      const owners: string[] = input.Owners ?? [];
      if (owners.length)
        images = images.filter((i) =>
          owners.some(
            (o) =>
              o === i.ownerId || o === i.ownerAlias || (o === 'self' && i.ownerId === ctx.state.accountId),
          ),
        );
      images = applyFilters(
        images,
        input.Filters,
        {
          name: (i) => i.name,
          'image-id': (i) => i.id,
          'owner-id': (i) => i.ownerId,
          'owner-alias': (i) => i.ownerAlias,
          architecture: (i) => i.arch,
          state: () => 'available',
          'image-type': () => 'machine',
          'is-public': () => true,
          'root-device-type': () => 'ebs',
          'root-device-name': (i) => i.rootDevice,
          'virtualization-type': () => 'hvm',
          hypervisor: () => 'xen',
          description: (i) => i.description,
          'platform-details': () => 'Linux/UNIX',
          'ena-support': () => true,
          'block-device-mapping.volume-type': (i) => (i.name.startsWith('al2023') ? 'gp3' : 'gp2'),
          'creation-date': (i) => i.creationDate,
        },
        (i) => ctx.tagsOf(i.id),
      );
      const { page, next } = paginate(images, input.MaxResults, input.NextToken);
      return { Images: page.map((i) => imageOut(ctx, i)), NextToken: next };
    },
  },
};
