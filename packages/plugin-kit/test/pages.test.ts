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
