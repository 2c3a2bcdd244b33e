import assert from 'node:assert/strict';
import { allPages } from '../src/pages.js';

async function* pagesOf<T>(...pages: T[]): AsyncGenerator<T> {
  for (const page of pages) yield page;
}

describe('allPages', () => {
  it('flattens every page in order, a page without items counting as empty', async () => {
    const items = await allPages(
      pagesOf({ Items: [1, 2] }, {}, { Items: [3] }),
      (page: { Items?: number[] }) => page.Items,
    );
    assert.deepEqual(items, [1, 2, 3]);
  });

  it('passes on a failing page', async () => {
    async function* failing() {
      yield { Items: [1] };
      throw new Error('Throttling');
    }
    await assert.rejects(
      allPages(failing(), (page) => page.Items),
      /Throttling/,
    );
  });
});

describe('deleteIgnoringGone', () => {
  const awsError = (code: string) =>
    Object.assign(new Error(code), { name: code, Code: code, $metadata: {} });

  it('counts "already gone" as done and throws anything else', async () => {
    const { deleteIgnoringGone } = await import('../src/errors.js');
    await deleteIgnoringGone(async () => {
      throw awsError('ListenerNotFound');
    }, 'ListenerNotFound');
    await assert.rejects(
      deleteIgnoringGone(async () => {
        throw awsError('ResourceInUse');
      }, 'ListenerNotFound'),
      /ResourceInUse/,
    );
    // How the SDK v3 names a Query-protocol error class: AWS's code plus "Exception".
    await deleteIgnoringGone(async () => {
      throw Object.assign(new Error('gone'), { name: 'ListenerNotFoundException', $metadata: {} });
    }, 'ListenerNotFound');
    let called = 0;
    await deleteIgnoringGone(async () => void called++, 'ListenerNotFound');
    assert.equal(called, 1);
  });
});
