/**
 * The store contract, one suite run against every engine: what the core relies on from `Store` (src/core/store/
 * store.ts), whichever database is behind it. Each test gets a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import type { Paper, PaperInput } from '../../../src/core/papers/paper.ts';
import type { ChannelKey, NewAlert, Store } from '../../../src/core/store/store.ts';
import { storeEngines } from '../../support/stores.ts';

function paper(input: PaperInput, source = 'test'): Paper {
  const result = normalizePaper(input, source);
  assert.ok(result.ok, JSON.stringify(input));
  return result.paper;
}

/** The fields that have a value (stores leave absent ones undefined). */
function defined<T extends object>(value: T | undefined): Partial<T> | undefined {
  return value && (Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>);
}

const ALERT: NewAlert = {
  platform: 'slack',
  workspaceId: 'T1',
  channelId: 'C1',
  paperId: '2503.00001',
  subscriptionId: 1,
  matched: ['lora'],
  score: 2.5,
  digest: false,
  dueAt: '2025-03-18T12:00:00.000Z',
};

/** Channel C1 (and C2) as workspace T1 sees it. */
const C1: ChannelKey = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const C2: ChannelKey = { ...C1, channelId: 'C2' };

const engines = await storeEngines();
after(() => Promise.all(engines.map((engine) => engine.stop())));

for (const engine of engines) {
  describe(`GIVEN a store on ${engine.name}`, () => {
    /** A fresh store, closed when the test ends. */
    async function fresh(t: { after(fn: () => Promise<void>): void }): Promise<Store> {
      const store = await engine.open();
      t.after(() => store.close());
      return store;
    }

    describe('papers', () => {
      test('WHEN the same paper comes from two sources THEN it is one record with the richer fields', async (t) => {
        const { papers } = await fresh(t);
        // The page shows the start of the abstract arXiv has in full: the same text.
        const fromPage = paper(
          { title: 'Skip-Tuning in Diffusion Sampling', abstract: 'A much longer abstract about skip' },
          'page',
        );
        assert.equal((await papers.upsert(fromPage)).outcome, 'added');
        const fromArxiv = paper(
          {
            id: '2503.20680v2',
            title: 'Skip-Tuning in Diffusion Sampling',
            abstract: 'A much longer abstract about skip connections.',
            authors: ['A. Author', 'B. Author'],
            categories: ['cs.CV'],
            published: '2025-03-26',
          },
          'arxiv',
        );
        assert.deepEqual(await papers.upsert(fromArxiv), {
          outcome: 'updated',
          id: '2503.20680',
          merge: { ids: [fromPage.id, '2503.20680'], keptId: '2503.20680', rule: 'title' },
        });
        assert.equal(await papers.count(), 1);
        const merged = (await papers.get('2503.20680'))!;
        assert.equal(merged.abstract, 'A much longer abstract about skip connections.');
        assert.deepEqual(merged.authors, ['A. Author', 'B. Author']);
        assert.deepEqual(merged.categories, ['cs.CV']);
        assert.equal(merged.published, '2025-03-26');
        // The old title-derived id still finds it (buttons posted before the merge keep working), as does any id form.
        assert.equal((await papers.get(fromPage.id))?.id, '2503.20680');
        assert.equal((await papers.get('https://arxiv.org/abs/2503.20680v1'))?.id, '2503.20680');
        assert.equal((await papers.upsert(fromArxiv)).outcome, 'unchanged');
        // A poorer record later does not erase richer fields.
        const poorer = paper({ id: '2503.20680', title: 'Skip-Tuning in Diffusion Sampling' });
        assert.equal((await papers.upsert(poorer)).outcome, 'unchanged');
        assert.equal((await papers.get('2503.20680'))!.abstract, 'A much longer abstract about skip connections.');
        assert.equal((await papers.findByTitle('skip-tuning in DIFFUSION sampling'))?.id, '2503.20680');
      });

      test(
        'WHEN papers are listed by a source THEN only the first listing counts, whatever id names them; ' +
          'a paper stored on demand stays unlisted until then',
        async (t) => {
          const { papers } = await fresh(t);
          const now = '2025-03-18T12:00:00.000Z';
          const fetched = paper({ id: '2503.00001', title: 'Fetched for a Digest', abstract: 'On demand.' });
          const titled = paper({ title: 'Known Only by Title', abstract: 'From a page about titles.' }, 'page');
          await papers.upsert(fetched);
          await papers.upsert(titled);
          assert.deepEqual(await papers.markListed([], now), []);
          assert.deepEqual(await papers.markListed(['https://arxiv.org/abs/2503.00001v2', 'no-such-paper'], now), [
            '2503.00001',
          ]);
          assert.deepEqual(await papers.markListed(['2503.00001', '2503.00001v1'], now), [], 'listed once');
          // The title-only record gets its arXiv id (its id becomes an alias): listing either id lists it, once.
          const withId = paper({
            id: '2503.00002',
            title: 'Known Only by Title',
            abstract: 'From a page about titles, in full.',
          });
          assert.equal((await papers.upsert(withId)).id, '2503.00002');
          assert.deepEqual(await papers.markListed([titled.id, '2503.00002'], now), ['2503.00002']);
          assert.deepEqual(await papers.markListed(['2503.00002'], now), []);
          const updated = paper({ id: '2503.00001', title: 'Fetched for a Digest', abstract: 'A longer abstract.' });
          assert.equal((await papers.upsert(updated)).outcome, 'updated');
          assert.deepEqual(await papers.markListed(['2503.00001'], now), [], 'an update keeps the listing');
        },
      );

      test(
        'WHEN two papers by different authors share a title THEN they stay two, each found by its own id, ' +
          'with or without ids of their own',
        async (t) => {
          const { papers } = await fresh(t);
          const title = 'A Theory of Adaptive Pattern Classifiers';
          const first = paper({ id: 'cacm-12', title, authors: ['Amari, S.'], abstract: 'Learning by gradients.' });
          const second = paper({ id: 'cacm-98', title, authors: ['Nilsson, N. J.'], abstract: '' });
          const results = await papers.upsertMany([first, second]);
          assert.deepEqual(results, [
            { outcome: 'added', id: 'cacm-12' },
            { outcome: 'added', id: 'cacm-98' },
          ]);
          assert.deepEqual((await papers.get('cacm-12'))?.authors, ['Amari, S.']);
          assert.deepEqual((await papers.get('cacm-98'))?.authors, ['Nilsson, N. J.']);
          // Without ids of their own, the second takes an id made from all it says, not the first one's.
          const { papers: other } = await fresh(t);
          const a = paper({ title, authors: ['S. Amari'] });
          const b = paper({ title, authors: ['N. J. Nilsson'] });
          const [added, alsoAdded] = await other.upsertMany([a, b]);
          assert.equal(added?.id, a.id);
          assert.notEqual(alsoAdded?.id, a.id);
          assert.equal(alsoAdded?.outcome, 'added');
          assert.deepEqual((await other.get(alsoAdded!.id))?.authors, ['N. J. Nilsson']);
          // Imported again, each is itself: nothing changes.
          assert.deepEqual(
            (await other.upsertMany([a, b])).map((r) => [r.outcome, r.id]),
            [
              ['unchanged', a.id],
              ['unchanged', alsoAdded!.id],
            ],
          );
          assert.equal(await other.count(), 2);
        },
      );

      test('WHEN one catalogue lists two records under one title THEN they stay two papers', async (t) => {
        const { papers } = await fresh(t);
        const title = 'CROUT With Pivoting (Algorithm 16)';
        // The algorithm, and its certification printed a month later under the same title and author.
        await papers.upsertMany([
          paper({ id: 'cacm-140', title, authors: ['Forsythe, G. E.'], published: '1960-10-01' }),
          paper({ id: 'cacm-152', title, authors: ['Forsythe, G. E.'], published: '1960-09-01' }),
        ]);
        assert.equal(await papers.count(), 2);
        // A record of it from elsewhere (another kind of id) is the same paper.
        const [elsewhere] = await papers.upsertMany([paper({ id: 'W1969', title, authors: ['G. E. Forsythe'] })]);
        assert.equal(elsewhere?.merge?.rule, 'title');
      });

      test('WHEN records share a title but their abstracts differ THEN they stay two papers', async (t) => {
        const { papers } = await fresh(t);
        const title = 'Quarterly Progress Report on Information Retrieval';
        await papers.upsertMany([
          paper({ id: 'r-1', title, authors: ['Salton, G.'], abstract: 'Indexing experiments with the SMART system.' }),
          paper({
            id: 'r-2',
            title,
            authors: ['Salton, G.'],
            abstract: 'Relevance feedback on the Cranfield queries.',
          }),
        ]);
        assert.equal(await papers.count(), 2);
      });

      test('WHEN records carry an empty, short or generic title THEN they never merge by it', async (t) => {
        const { papers } = await fresh(t);
        const results = await papers.upsertMany([
          paper({ id: 'bib-1', title: 'Introduction' }),
          paper({ id: 'bib-2', title: 'Introduction' }),
          paper({ id: 'bib-3', title: 'Reply to Comments' }),
          paper({ id: 'bib-4', title: 'Reply to comments' }),
          paper({ id: 'bib-5', title: 'Comment on "A Theory of Adaptive Pattern Classifiers"' }),
          paper({ id: 'bib-6', title: 'Comment on "A Theory of Adaptive Pattern Classifiers"' }),
          paper({ id: 'bib-7', title: 'Sorting' }),
          paper({ id: 'bib-8', title: 'Sorting' }),
          paper({ id: 'bib-9', title: '', abstract: 'An untitled note on sorting.' }),
          paper({ id: 'bib-10', title: '', abstract: 'An untitled note on sorting.' }),
        ]);
        assert.ok(results.every((r) => r.outcome === 'added'));
        assert.equal(await papers.count(), 10);
        // Untitled and without ids, two different abstracts are two papers; the same record twice is one.
        const untitled = paper({ title: '', abstract: 'A note on merging.' });
        const other = paper({ title: '', abstract: 'A note on splitting.' });
        assert.notEqual(untitled.id, other.id);
        await papers.upsertMany([untitled, other, untitled]);
        assert.equal(await papers.count(), 12);
        const [again] = await papers.upsertMany([paper({ title: 'Introduction' })]);
        const [twice] = await papers.upsertMany([paper({ title: 'Introduction', authors: ['Knuth, D. E.'] })]);
        assert.equal(again?.outcome, 'added');
        assert.equal(twice?.outcome, 'added');
        assert.notEqual(twice?.id, again?.id);
        assert.equal((await papers.upsertMany([paper({ title: 'Introduction' })]))[0]?.outcome, 'unchanged');
      });

      test('WHEN the arXiv and DOI versions of one paper come THEN they are one record, found by either id', async (t) => {
        const { papers } = await fresh(t);
        const title = 'Attention Is All You Need';
        const authors = ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar'];
        const abstract =
          'The dominant sequence transduction models are based on complex recurrent or convolutional neural ' +
          'networks. We propose a new simple network architecture, the Transformer, based solely on attention.';
        await papers.upsert(paper({ id: 'arXiv:1706.03762v5', title, authors, abstract }));
        const journal = paper({
          id: 'https://doi.org/10.5555/3295222.3295349',
          title: `${title}.`,
          authors: ['Vaswani, A.', 'Shazeer, N.'],
          abstract: `${abstract} Experiments on two machine translation tasks show these models to be superior.`,
        });
        assert.equal(journal.doi, '10.5555/3295222.3295349');
        const [merged] = await papers.upsertMany([journal]);
        assert.deepEqual(merged, {
          outcome: 'updated',
          id: '1706.03762',
          merge: { ids: ['1706.03762', '10.5555/3295222.3295349'], keptId: '1706.03762', rule: 'title' },
        });
        assert.equal(await papers.count(), 1);
        for (const id of ['1706.03762', '10.5555/3295222.3295349']) {
          const found = await papers.get(id);
          assert.equal(found?.id, '1706.03762', id);
          assert.equal(found?.doi, '10.5555/3295222.3295349');
          assert.equal(found?.arxivId, '1706.03762');
        }
        // A third record naming only the DOI (in a field) is the same paper, whatever its title says.
        const [byDoi] = await papers.upsertMany([
          paper({ id: 'W2963403868', doi: 'https://doi.org/10.5555/3295222.3295349', title: 'Transformer' }),
        ]);
        assert.equal(byDoi?.id, '1706.03762');
        assert.equal(byDoi?.merge?.rule, 'doi');
        assert.equal((await papers.get('W2963403868'))?.id, '1706.03762');
        // Imported again, nothing is merged anew.
        assert.deepEqual(await papers.upsertMany([journal]), [{ outcome: 'unchanged', id: '1706.03762' }]);
      });

      test('WHEN records are stored without merging THEN only one id makes two records one', async (t) => {
        const { papers } = await fresh(t);
        const title = 'Attention Is All You Need';
        const results = await papers.upsertMany(
          [
            paper({ id: '1706.03762', title }),
            paper({ id: '10.5555/3295222.3295349', title }),
            paper({ id: 'W2963403868', doi: '10.5555/3295222.3295349', title }),
            paper({ title }),
            paper({ title }),
            paper({ id: 'https://arxiv.org/abs/1706.03762v2', title: `${title}.` }),
          ],
          { merge: false },
        );
        assert.deepEqual(
          results.map((r) => r.outcome),
          ['added', 'added', 'added', 'added', 'unchanged', 'updated'],
        );
        assert.equal(await papers.count(), 4);
        assert.ok(results.every((r) => !r.merge));
      });

      test('WHEN two different arXiv ids have the same title THEN they stay two papers', async (t) => {
        const { papers } = await fresh(t);
        await papers.upsert(paper({ id: '2401.00001', title: 'Same Title' }));
        await papers.upsert(paper({ id: '2402.00002', title: 'Same Title' }));
        assert.equal(await papers.count(), 2);
      });

      test(
        'WHEN two records of one paper come under their own ids THEN they merge under the first id, ' +
          'and the other id is an alias that finds the merged paper',
        async (t) => {
          const { papers } = await fresh(t);
          const title = 'Quokka Burrows as Retrieval Networks';
          assert.deepEqual(await papers.upsert(paper({ id: 'c_190473', title, abstract: 'Quokkas dig burrows.' })), {
            outcome: 'added',
            id: 'c_190473',
          });
          const doi = paper({
            id: '10.1145/QUOKKA.1',
            title: `${title}.`,
            abstract: 'Quokkas dig burrows. A longer abstract about quokkas.',
          });
          assert.deepEqual(await papers.upsert(doi), {
            outcome: 'updated',
            id: 'c_190473',
            merge: { ids: ['c_190473', '10.1145/quokka.1'], keptId: 'c_190473', rule: 'title' },
          });
          assert.equal(await papers.count(), 1);
          assert.equal((await papers.get('10.1145/quokka.1'))?.id, 'c_190473');
          assert.equal(
            (await papers.get('c_190473'))?.abstract,
            'Quokkas dig burrows. A longer abstract about quokkas.',
          );
          assert.equal((await papers.get('c_190473'))?.doi, '10.1145/quokka.1');
          // Seen again, the alias finds it even before the title does: nothing changes.
          assert.equal((await papers.upsert(doi)).outcome, 'unchanged');
          // A later arXiv record of it merges too: the paper keeps the id it was stored under, the arXiv id finds it.
          assert.equal((await papers.upsert(paper({ id: '2501.00042', title }))).id, 'c_190473');
          assert.equal((await papers.get('2501.00042'))?.id, 'c_190473');
          assert.equal((await papers.get('2501.00042'))?.arxivId, '2501.00042');
          // An identical copy under yet another id changes nothing, but its id finds the paper too.
          const copy = (await papers.get('c_190473'))!;
          assert.equal((await papers.upsert({ ...copy, id: 'W2741809807' })).outcome, 'unchanged');
          assert.equal((await papers.get('W2741809807'))?.id, 'c_190473');
          const many = await papers.getMany(['W2741809807', '10.1145/quokka.1', 'c_190473']);
          assert.deepEqual(
            [...many].map(([id, found]) => [id, found.id]),
            [
              ['c_190473', 'c_190473'],
              ['W2741809807', 'c_190473'],
              ['10.1145/quokka.1', 'c_190473'],
            ],
          );
        },
      );

      test('WHEN a paper stored under a title-derived id gets a record with its own id THEN it takes that id', async (t) => {
        const { papers } = await fresh(t);
        const title = 'Quokka Burrows in Western Australia';
        const fromPage = paper({ title, abstract: 'Short.' }, 'page');
        await papers.upsert(fromPage);
        assert.equal((await papers.upsert(paper({ id: 'W2741809807', title }))).id, 'W2741809807');
        assert.equal((await papers.get(fromPage.id))?.id, 'W2741809807');
      });

      test('WHEN one batch holds records of one paper under several ids THEN aliases work within it', async (t) => {
        const { papers } = await fresh(t);
        const title = 'Wombat Tunnels Under Farmland';
        const fromPage = paper({ title, abstract: 'Wombats dig tunnels.' }, 'page');
        const longest = 'Wombats dig tunnels under farmland: the longest abstract of them all.';
        const outcomes = await papers.upsertMany([
          fromPage,
          paper({ id: 'c_1', title, abstract: 'Wombats dig tunnels under farmland.' }),
          paper({ id: '10.1234/WOMBAT', title, abstract: 'Wombats dig tunnels.' }),
          // Only its id ties it to the paper: the alias recorded earlier in this batch finds it.
          paper({ id: '10.1234/wombat', title: 'Marsupials', abstract: longest }),
        ]);
        assert.deepEqual(outcomes, [
          { outcome: 'added', id: fromPage.id },
          { outcome: 'updated', id: 'c_1', merge: { ids: [fromPage.id, 'c_1'], keptId: 'c_1', rule: 'title' } },
          // It brings its DOI.
          { outcome: 'updated', id: 'c_1', merge: { ids: ['c_1', '10.1234/wombat'], keptId: 'c_1', rule: 'title' } },
          { outcome: 'updated', id: 'c_1' },
        ]);
        assert.equal(await papers.count(), 1);
        assert.equal((await papers.get(fromPage.id))?.id, 'c_1');
        assert.equal((await papers.get('10.1234/wombat'))?.abstract, longest);
        // In a later batch, the aliases stored by the first one find the paper.
        assert.deepEqual(await papers.upsertMany([paper({ id: '10.1234/Wombat', title: 'Else' })]), [
          { outcome: 'unchanged', id: 'c_1' },
        ]);
        assert.deepEqual(await papers.upsertMany([paper({ title, abstract: 'Wombats dig tunnels.' }, 'page')]), [
          { outcome: 'unchanged', id: 'c_1' },
        ]);
        assert.equal(await papers.count(), 1);
      });

      test('WHEN a paper is stored with every field THEN it reads back the same', async (t) => {
        const { papers } = await fresh(t);
        const full = paper({
          id: '2501.00042',
          title: 'Every Field',
          abstract: 'An abstract with "quotes", émoji 🦙 and a \\ backslash.',
          authors: ['Ada Lovelace', 'Alan Turing'],
          published: '2025-01-02',
          updated: '2025-02-03',
          categories: ['cs.CL', 'cs.LG'],
          upvotes: 17,
          aiSummary: 'A summary.',
          keywords: ['fields', 'round trip'],
          githubRepo: 'https://github.com/example/repo',
        });
        await papers.upsert(full);
        assert.deepEqual(await papers.get('2501.00042'), full);
        const bare = paper({ title: 'Nothing But A Title' });
        await papers.upsert(bare);
        assert.deepEqual(await papers.get(bare.id), bare);
      });

      test('WHEN a batch is upserted THEN outcomes come in order, duplicates inside it merge', async (t) => {
        const { papers } = await fresh(t);
        const outcomes = await papers.upsertMany([
          paper({ id: '2501.00001', title: 'The First Paper of the Batch', abstract: 'a' }),
          paper({ id: '2501.00002', title: 'The Second Paper of the Batch' }),
          paper({ id: '2501.00001', title: 'The First Paper of the Batch', abstract: 'a longer abstract' }),
          paper({ title: 'The Second Paper of the Batch' }),
          paper({ id: '2501.00001', title: 'The First Paper of the Batch', abstract: 'a' }),
        ]);
        const second = paper({ title: 'The Second Paper of the Batch' }).id;
        assert.deepEqual(outcomes, [
          { outcome: 'added', id: '2501.00001' },
          { outcome: 'added', id: '2501.00002' },
          { outcome: 'updated', id: '2501.00001' },
          {
            outcome: 'unchanged',
            id: '2501.00002',
            merge: { ids: ['2501.00002', second], keptId: '2501.00002', rule: 'title' },
          },
          { outcome: 'unchanged', id: '2501.00001' },
        ]);
        assert.equal(await papers.count(), 2);
        assert.equal((await papers.get('2501.00001'))?.abstract, 'a longer abstract');
        assert.deepEqual(await papers.upsertMany([]), []);
      });

      test(
        'WHEN a title-only paper later gets its arXiv id in the same batch' + ' THEN the old id is an alias',
        async (t) => {
          const { papers } = await fresh(t);
          const titleOnly = paper({ title: 'Quokka Networks of the South', abstract: 'short' });
          const outcomes = await papers.upsertMany([
            titleOnly,
            paper({ id: '2502.00003', title: 'Quokka Networks of the South', abstract: 'short, and a longer one' }),
          ]);
          assert.deepEqual(outcomes, [
            { outcome: 'added', id: titleOnly.id },
            {
              outcome: 'updated',
              id: '2502.00003',
              merge: { ids: [titleOnly.id, '2502.00003'], keptId: '2502.00003', rule: 'title' },
            },
          ]);
          assert.equal((await papers.get(titleOnly.id))?.id, '2502.00003');
          assert.equal(await papers.count(), 1);
        },
      );

      test('WHEN papers are fetched by many ids THEN each found one is keyed as asked', async (t) => {
        const { papers } = await fresh(t);
        const titleOnly = paper({ title: 'An Old Paper Known by Title Only', abstract: 'x' });
        await papers.upsertMany([
          titleOnly,
          paper({ id: '2501.00001', title: 'One' }),
          paper({ id: '2501.00002', title: 'Two' }),
        ]);
        await papers.upsert(paper({ id: '2501.00003', title: 'An Old Paper Known by Title Only', abstract: 'x y' }));
        const found = await papers.getMany([
          '2501.00002',
          'https://arxiv.org/abs/2501.00001v3',
          titleOnly.id,
          'no-such-paper',
          '2501.00002',
        ]);
        assert.deepEqual([...found.keys()].sort(), ['2501.00002', 'https://arxiv.org/abs/2501.00001v3', titleOnly.id]);
        assert.equal(found.get('https://arxiv.org/abs/2501.00001v3')?.id, '2501.00001');
        assert.equal(found.get(titleOnly.id)?.id, '2501.00003');
        assert.equal((await papers.getMany([])).size, 0);
        const many = Array.from({ length: 1200 }, (_, i) =>
          paper({ id: `2601.${String(i).padStart(5, '0')}`, title: `P${i}` }),
        );
        await papers.upsertMany(many);
        assert.equal((await papers.getMany(many.map((p) => p.id))).size, 1200);
      });

      test(
        'WHEN papers change' + ' THEN change numbers grow and the change feed lists each paper at its last change',
        async (t) => {
          const { papers } = await fresh(t);
          assert.equal(await papers.version(), 0);
          assert.deepEqual(await papers.changedSince(0), []);
          await papers.upsertMany([paper({ id: '2501.00001', title: 'A' }), paper({ id: '2501.00002', title: 'B' })]);
          const v1 = await papers.version();
          assert.ok(v1 >= 2);
          await papers.upsert(paper({ id: '2501.00001', title: 'A', abstract: 'now with an abstract' }));
          const v2 = await papers.version();
          assert.ok(v2 > v1);
          const all = await papers.changedSince(0);
          assert.deepEqual(
            all.map((c) => c.paper.id),
            ['2501.00002', '2501.00001'],
            'in change order, each paper once',
          );
          assert.equal(all.at(-1)!.seq, v2);
          assert.deepEqual(
            (await papers.changedSince(v1)).map((c) => c.paper.abstract),
            ['now with an abstract'],
          );
          await papers.upsert(paper({ id: '2501.00001', title: 'A', abstract: 'now with an abstract' }));
          assert.equal(await papers.version(), v2, 'an unchanged paper is not a change');
        },
      );

      test('WHEN the corpus is read THEN its pages, version and count are one consistent view', async (t) => {
        const { papers } = await fresh(t);
        const batch = Array.from({ length: 2500 }, (_, i) =>
          paper({ id: `2501.${String(i).padStart(5, '0')}`, title: `Paper number ${i}` }),
        );
        await papers.upsertMany(batch);
        const version = await papers.version();
        const read = await papers.readCorpus(undefined, async (corpus) => {
          const ids: string[] = [];
          let pages = 0;
          for await (const page of corpus.pages) {
            pages++;
            ids.push(...page.map((p) => p.id));
          }
          return { ids, pages, version: corpus.version, count: corpus.count };
        });
        assert.equal(read.version, version);
        assert.equal(read.count, 2500);
        assert.deepEqual(
          read.ids,
          batch.map((p) => p.id),
        );
        assert.ok(read.pages >= 2, 'read a page at a time');
        await papers.upsert(paper({ id: '2601.00001', title: 'Later' }));
        const since = await papers.readCorpus(version, async (corpus) => {
          const ids: string[] = [];
          for await (const page of corpus.pages) ids.push(...page.map((p) => p.id));
          return { ids, count: corpus.count };
        });
        assert.deepEqual(since, { ids: ['2601.00001'], count: 2501 });
      });

      test('WHEN a random paper is asked for THEN it is one of the store, and none from an empty store', async (t) => {
        const { papers } = await fresh(t);
        assert.equal(await papers.randomId(() => 0.5), undefined);
        await papers.upsertMany([paper({ id: '2501.00001', title: 'A' }), paper({ id: '2501.00002', title: 'B' })]);
        const picked = new Set([await papers.randomId(() => 0), await papers.randomId(() => 0.999)]);
        assert.deepEqual([...picked].sort(), ['2501.00001', '2501.00002']);
      });
    });

    describe('alerts', () => {
      test('WHEN subscriptions are added and removed THEN only their own channel can remove them', async (t) => {
        const { alerts } = await fresh(t);
        const now = '2025-03-18T10:00:00.000Z';
        const a = await alerts.addSubscription(
          {
            platform: 'slack',
            channelId: 'C1',
            workspaceId: 'T1',
            query: 'lora',
            mode: 'daily',
            digestTime: '08:30',
            timeZone: 'Europe/Paris',
            createdBy: 'U1',
          },
          now,
        );
        assert.deepEqual(defined(a), {
          id: a.id,
          platform: 'slack',
          channelId: 'C1',
          workspaceId: 'T1',
          query: 'lora',
          mode: 'daily',
          digestTime: '08:30',
          timeZone: 'Europe/Paris',
          createdBy: 'U1',
          createdAt: now,
        });
        const b = await alerts.addSubscription({ ...C2, query: 'rlhf', mode: 'instant' });
        assert.ok(b.id > a.id);
        assert.deepEqual(await alerts.subscription(a.id), a);
        assert.deepEqual(
          (await alerts.subscriptions()).map((s) => s.id),
          [a.id, b.id],
        );
        assert.deepEqual(
          (await alerts.channelSubscriptions(C2)).map((s) => s.query),
          ['rlhf'],
        );
        await alerts.noteMatch(b.id, '2503.00001', '2025-03-18T11:00:00.000Z');
        const noted = (await alerts.subscription(b.id))!;
        assert.equal(noted.lastMatchAt, '2025-03-18T11:00:00.000Z');
        assert.equal(noted.lastMatchPaper, '2503.00001');

        await alerts.enqueue({ ...ALERT, subscriptionId: a.id });
        await alerts.enqueue({ ...ALERT, subscriptionId: a.id, paperId: '2503.00002' });
        const undeliverable = (await alerts.rows())[1]!;
        await alerts.markSending([undeliverable.id], 'k-dead', now);
        await alerts.markDead('k-dead', 'rate limited 8 times', now);
        assert.equal(await alerts.waitingAlerts(C1), 1, 'a dead letter is not waiting');
        assert.equal(await alerts.removeSubscription(a.id, C2), false, 'not from another channel');
        assert.equal(await alerts.removeSubscription(a.id, { ...C1, platform: 'discord' }), false, 'nor platform');
        assert.equal(await alerts.removeSubscription(a.id, { ...C1, workspaceId: 'T2' }), false, 'nor workspace');
        assert.equal(await alerts.removeSubscription(a.id, C1), true);
        assert.equal(await alerts.subscription(a.id), undefined);
        assert.deepEqual(
          (await alerts.rows()).map((r) => [r.state, r.lastError]),
          [
            ['dropped', 'unsubscribed'],
            ['dropped', 'unsubscribed'],
          ],
          'its pending alerts and its dead letters are dropped on purpose',
        );
        assert.deepEqual(await alerts.deadLetters(), []);
      });

      test(
        'WHEN alerts are queued' + ' THEN one per channel and paper, due ones in order, paused channels wait',
        async (t) => {
          const { alerts } = await fresh(t);
          const created = '2025-03-18T09:00:00.000Z';
          assert.equal(await alerts.enqueue(ALERT, created), true);
          assert.equal(await alerts.enqueue({ ...ALERT, score: 9 }), false, 'the same channel and paper again');
          assert.equal(await alerts.enqueue({ ...ALERT, channelId: 'C2' }), true);
          assert.equal(await alerts.enqueue({ ...ALERT, paperId: '2503.00002', score: 7.25 }), true);
          assert.equal(
            await alerts.enqueue({ ...ALERT, paperId: '2503.00003', dueAt: '2025-03-19T09:00:00.000Z' }),
            true,
          );
          assert.equal(await alerts.enqueue({ ...ALERT, platform: 'discord' }), true);
          const first = (await alerts.rows())[0]!;
          assert.deepEqual(defined(first), {
            ...ALERT,
            id: first.id,
            state: 'pending',
            attempts: 0,
            reconcileRounds: 0,
            createdAt: created,
          });

          const now = '2025-03-18T12:00:00.000Z';
          const due = await alerts.due('slack', now);
          assert.deepEqual(
            due.map((r) => [r.channelId, r.paperId, r.score]),
            [
              ['C1', '2503.00002', 7.25],
              ['C1', '2503.00001', 2.5],
              ['C2', '2503.00001', 2.5],
            ],
          );
          await alerts.pauseChannel(C1, 'not_in_channel', '2025-03-18T11:00:00.000Z');
          assert.deepEqual(await alerts.channelPause(C1), {
            pausedAt: '2025-03-18T11:00:00.000Z',
            reason: 'not_in_channel',
          });
          assert.deepEqual(await alerts.pausedChannels(), [C1]);
          assert.equal(await alerts.waitingAlerts(C1), 3, 'what the pause holds back, later ones too');
          assert.equal(await alerts.waitingAlerts(C2), 1);
          assert.equal(await alerts.waitingAlerts({ ...C1, workspaceId: 'T2' }), 0, "another workspace's channel");
          assert.deepEqual(
            (await alerts.due('slack', now)).map((r) => r.channelId),
            ['C2'],
          );
          assert.equal(await alerts.resumeChannel(C1), true);
          assert.equal(await alerts.resumeChannel(C1), false, 'not paused any more');
          assert.equal(await alerts.channelPause(C1), undefined);
          assert.equal((await alerts.due('slack', now)).length, 3);
        },
      );

      test('WHEN a message goes through its states THEN each move is recorded and retries wait', async (t) => {
        const { alerts } = await fresh(t);
        await alerts.enqueue(ALERT);
        await alerts.enqueue({ ...ALERT, paperId: '2503.00002' });
        const ids = (await alerts.rows()).map((r) => r.id);
        const at = '2025-03-18T12:00:00.000Z';
        await alerts.markSending(ids, 'key1', at);
        const sending = await alerts.inFlight('slack');
        assert.deepEqual(
          sending.map((r) => [r.state, r.messageKey, r.attempts, r.sendingAt]),
          [
            ['sending', 'key1', 1, at],
            ['sending', 'key1', 1, at],
          ],
        );
        assert.deepEqual(await alerts.inFlight('discord'), []);
        assert.deepEqual(await alerts.due('slack', at), [], 'in flight is not due');
        await alerts.markRetry('key1', 'ratelimited', '2025-03-18T12:05:00.000Z');
        const retry = (await alerts.row(ids[0]!))!;
        assert.equal(retry.state, 'pending');
        assert.equal(retry.messageKey, undefined);
        assert.equal(retry.lastError, 'ratelimited');
        assert.equal((await alerts.due('slack', '2025-03-18T12:04:59.000Z')).length, 0, 'not before its retry time');
        assert.equal((await alerts.due('slack', '2025-03-18T12:05:00.000Z')).length, 2);

        await alerts.markSending(ids, 'key2', at);
        await alerts.markPosted('key2', 'ts-1');
        assert.deepEqual(
          (await alerts.inFlight('slack')).map((r) => [r.state, r.messageRef, r.attempts]),
          [
            ['posted', 'ts-1', 2],
            ['posted', 'ts-1', 2],
          ],
        );
        await alerts.markSent('key2', '2025-03-18T12:06:00.000Z');
        const sent = (await alerts.row(ids[1]!))!;
        assert.equal(sent.state, 'sent');
        assert.equal(sent.sentAt, '2025-03-18T12:06:00.000Z');
        assert.equal(sent.lastError, undefined);
        assert.equal(await alerts.markDead('key2', 'too late', at), 0);
        assert.equal((await alerts.row(ids[1]!))!.state, 'sent', 'a sent row stays sent');

        await alerts.enqueue({ ...ALERT, paperId: '2503.00009' });
        const last = (await alerts.rows()).at(-1)!;
        await alerts.markSending([last.id], 'key3', at);
        assert.equal(await alerts.markDead('key3', 'the platform refused the message (msg_too_long)', at), 1);
        const dead = (await alerts.row(last.id))!;
        assert.deepEqual(
          [dead.state, dead.lastError, dead.deadAt],
          ['dead', 'the platform refused the message (msg_too_long)', at],
        );
        assert.equal(await alerts.row(999_999), undefined);
      });

      test(
        'WHEN the outbox status is read' +
          ' THEN it counts undelivered rows per platform and state, and paused channels per platform',
        async (t) => {
          const { alerts } = await fresh(t);
          assert.deepEqual(await alerts.outboxStatus(), { backlog: [], paused: [], dead: [] }, 'an empty outbox');
          const at = '2025-03-18T12:00:00.000Z';
          for (const paperId of ['2503.00001', '2503.00002', '2503.00003', '2503.00004', '2503.00005', '2503.00006'])
            await alerts.enqueue({ ...ALERT, paperId });
          await alerts.enqueue({ ...ALERT, platform: 'discord' });
          const [sending, posted, sent, dead] = (await alerts.rows()).map((r) => r.id);
          await alerts.markSending([sending!], 'k-sending', at);
          await alerts.markSending([posted!], 'k-posted', at);
          await alerts.markPosted('k-posted', 'ts-1');
          await alerts.markSending([sent!], 'k-sent', at);
          await alerts.markSent('k-sent', at);
          await alerts.markSending([dead!], 'k-dead', at);
          await alerts.markDead('k-dead', 'rate limited 8 times', at);
          const discord = { platform: 'discord', workspaceId: 'G1' };
          await alerts.pauseChannel(C1, 'not_in_channel', at);
          await alerts.pauseChannel(C2, 'channel_not_found', at);
          await alerts.pauseChannel({ ...discord, channelId: 'D1' }, 'Missing Access', at);
          await alerts.pauseChannel({ ...discord, channelId: 'D2' }, 'Missing Access', at);
          assert.equal(await alerts.resumeChannel({ ...discord, channelId: 'D2' }), true);

          const status = await alerts.outboxStatus();
          const order = (a: { platform: string; state?: string }, b: { platform: string; state?: string }) =>
            `${a.platform}/${a.state}`.localeCompare(`${b.platform}/${b.state}`);
          assert.deepEqual(
            [...status.backlog].sort(order),
            [
              { platform: 'discord', state: 'pending', count: 1 },
              { platform: 'slack', state: 'pending', count: 2 },
              { platform: 'slack', state: 'posted', count: 1 },
              { platform: 'slack', state: 'sending', count: 1 },
            ],
            'sent and dead rows are not backlog',
          );
          assert.deepEqual(status.dead, [{ platform: 'slack', count: 1 }]);
          assert.deepEqual([...status.paused].sort(order), [
            { platform: 'discord', count: 1 },
            { platform: 'slack', count: 2 },
          ]);
        },
      );

      test(
        'WHEN alerts are given up THEN they are dead letters per channel and reason until re-queued, ' +
          'unposted ones back to pending and ones of unknown fate back to sending under their key',
        async (t) => {
          const { alerts } = await fresh(t);
          const at = '2025-03-18T12:00:00.000Z';
          const later = '2025-03-18T13:00:00.000Z';
          for (const [channelId, paperId] of [
            ['C1', '2503.00001'],
            ['C1', '2503.00002'],
            ['C1', '2503.00003'],
            ['C2', '2503.00001'],
          ] as const)
            await alerts.enqueue({ ...ALERT, channelId, paperId });
          const [a, b, c, d] = (await alerts.rows()).map((r) => r.id) as [number, number, number, number];
          await alerts.markSending([a, b], 'k-limited', at);
          assert.equal(await alerts.markDead('k-limited', 'rate limited 8 times', at), 2);
          await alerts.markSending([c], 'k-unknown', at);
          assert.equal(await alerts.noteUncertain('k-unknown', 'missing_scope'), 1);
          assert.equal(await alerts.noteUncertain('k-unknown', 'missing_scope'), 2);
          assert.equal((await alerts.row(c))!.reconcileRounds, 2);
          await alerts.markDead('k-unknown', 'could not tell whether it was sent', later);
          await alerts.markSending([d], 'k-other', at);
          await alerts.markDead('k-other', 'rate limited 8 times', at);
          assert.equal(await alerts.noteUncertain('k-unknown', 'missing_scope'), 0, 'a dead letter counts no rounds');

          assert.deepEqual(await alerts.deadLetters(C1), [
            { ...C1, reason: 'could not tell whether it was sent', count: 1, lastAt: later },
            { ...C1, reason: 'rate limited 8 times', count: 2, lastAt: at },
          ]);
          assert.deepEqual(await alerts.deadLetters({ ...C1, workspaceId: 'T2' }), [], "not another workspace's");
          assert.equal((await alerts.deadLetters()).length, 3);
          assert.deepEqual(await alerts.deadLetters({ platform: 'discord' }), []);
          assert.deepEqual(await alerts.due('slack', later), [], 'a dead letter is not due');
          assert.deepEqual(await alerts.inFlight('slack'), [], 'nor in flight');

          assert.equal(await alerts.requeueDead(C1), 3);
          assert.deepEqual(
            (await alerts.rows()).map((r) => [r.state, r.messageKey, r.attempts, r.reconcileRounds, r.deadAt]),
            [
              ['pending', undefined, 0, 0, undefined],
              ['pending', undefined, 0, 0, undefined],
              ['sending', 'k-unknown', 0, 0, undefined],
              ['dead', 'k-other', 1, 0, at],
            ],
          );
          assert.deepEqual(
            (await alerts.due('slack', later)).map((r) => r.id),
            [b, a].sort((x, y) => x - y),
          );
          assert.deepEqual(
            (await alerts.inFlight('slack')).map((r) => r.id),
            [c],
            'reconciled (the platform asked) before anything is sent',
          );
          assert.equal(await alerts.requeueDead(), 1, 'every channel');
          assert.equal(await alerts.requeueDead(), 0);
        },
      );

      test('WHEN a message is sent again or retried THEN its rounds of unknown fate start again', async (t) => {
        const { alerts } = await fresh(t);
        const at = '2025-03-18T12:00:00.000Z';
        await alerts.enqueue(ALERT);
        const [row] = await alerts.rows();
        await alerts.markSending([row!.id], 'k1', at);
        assert.equal(await alerts.noteUncertain('k1', 'timeout'), 1);
        assert.equal((await alerts.row(row!.id))!.lastError, 'timeout');
        await alerts.markSending([row!.id], 'k1', at);
        assert.deepEqual(
          [(await alerts.row(row!.id))!.reconcileRounds, (await alerts.row(row!.id))!.attempts],
          [0, 2],
          'a resend after the platform said "not there"',
        );
        assert.equal(await alerts.noteUncertain('k1', 'timeout'), 1);
        await alerts.markRetry('k1', 'ratelimited', at);
        assert.equal((await alerts.row(row!.id))!.reconcileRounds, 0);
        assert.equal(await alerts.noteUncertain('k1', 'timeout'), 0, 'only rows in flight under that key count');
      });

      test(
        'GIVEN a channel shared by two workspaces ' +
          'THEN each has its own subscriptions and pause, and the channel still gets a paper once',
        async (t) => {
          const { alerts } = await fresh(t);
          const theirs: ChannelKey = { ...C1, workspaceId: 'T2' };
          const ours = await alerts.addSubscription({ ...C1, query: 'lora', mode: 'instant' });
          const other = await alerts.addSubscription({ ...theirs, query: 'lora', mode: 'instant' });
          assert.deepEqual(
            (await alerts.channelSubscriptions(C1)).map((s) => s.id),
            [ours.id],
          );
          assert.deepEqual(
            (await alerts.channelSubscriptions(theirs)).map((s) => s.id),
            [other.id],
          );
          assert.equal(await alerts.removeSubscription(other.id, C1), false, "not through the other's key");

          assert.equal(await alerts.enqueue({ ...ALERT, subscriptionId: ours.id }), true);
          assert.equal(
            await alerts.enqueue({ ...ALERT, ...theirs, subscriptionId: other.id }),
            false,
            'the same paper in the same channel, from the other workspace: not again',
          );
          assert.equal(await alerts.enqueue({ ...ALERT, ...theirs, paperId: 'p2', subscriptionId: other.id }), true);
          const now = '2025-03-18T12:00:00.000Z';
          assert.deepEqual(
            (await alerts.due('slack', now)).map((r) => [r.workspaceId, r.paperId]),
            [
              ['T1', ALERT.paperId],
              ['T2', 'p2'],
            ],
          );
          await alerts.pauseChannel(theirs, 'app_uninstalled', now);
          assert.equal(await alerts.channelPause(C1), undefined, "one workspace's pause is not the other's");
          assert.deepEqual(
            (await alerts.due('slack', now)).map((r) => r.workspaceId),
            ['T1'],
          );
          assert.deepEqual(
            (await alerts.claimDue('slack', now, { owner: 'me', ttlMs: 60_000 })).map((r) => r.workspaceId),
            ['T1'],
          );
        },
      );

      test('WHEN sent rows are older than the retention THEN only those are deleted, with their reasons', async (t) => {
        const { alerts, alertReasons } = await fresh(t);
        for (const paperId of ['old', 'recent', 'pending']) {
          await alerts.enqueue({ ...ALERT, paperId });
          await alertReasons.put({ platform: ALERT.platform, channelId: ALERT.channelId, paperId, reason: '{}' });
        }
        const [old, recent] = await alerts.rows();
        await alerts.markSending([old!.id], 'k-old', '2025-01-01T00:00:00.000Z');
        await alerts.markSent('k-old', '2025-01-01T00:00:00.000Z');
        await alerts.markSending([recent!.id], 'k-recent', '2025-03-01T00:00:00.000Z');
        await alerts.markSent('k-recent', '2025-03-01T00:00:00.000Z');
        assert.equal(await alerts.deleteSentBefore('2025-02-01T00:00:00.000Z'), 1);
        assert.deepEqual(
          (await alerts.rows()).map((r) => r.paperId),
          ['recent', 'pending'],
        );
        assert.equal(await alerts.deleteSentBefore('2025-02-01T00:00:00.000Z'), 0);
        assert.deepEqual(
          [...(await alertReasons.get(ALERT.platform, ALERT.channelId, ['old', 'recent', 'pending'])).keys()].sort(),
          ['pending', 'recent'],
        );
      });

      test('WHEN source state is set THEN it is read back and overwritten', async (t) => {
        const { alerts } = await fresh(t);
        assert.equal(await alerts.getState('lastDay:hf'), undefined);
        await alerts.setState('lastDay:hf', '2025-03-17');
        await alerts.setState('lastDay:hf', '2025-03-18');
        assert.equal(await alerts.getState('lastDay:hf'), '2025-03-18');
      });
    });

    describe('stash and meta', () => {
      test('WHEN a value is stashed THEN its key finds it, and a key keeps its first value', async (t) => {
        const { stash } = await fresh(t);
        await stash.put('k1', 'a long query');
        await stash.put('k1', 'another value');
        assert.equal(await stash.get('k1'), 'a long query');
        assert.equal(await stash.get('nope'), undefined);
      });

      test('WHEN stash entries are older than the retention THEN they are deleted, counting from their last put', async (t) => {
        const { stash } = await fresh(t);
        await stash.put('old', 'a long query', '2025-01-01T00:00:00.000Z');
        await stash.put('carried', 'another query', '2025-01-01T00:00:00.000Z');
        await stash.put('carried', 'another query', '2025-03-01T00:00:00.000Z');
        await stash.put('new', 'a third query', '2025-03-01T00:00:00.000Z');
        assert.equal(await stash.deleteOlderThan('2025-02-01T00:00:00.000Z'), 1);
        assert.equal(await stash.get('old'), undefined);
        assert.equal(await stash.get('carried'), 'another query', 'a message carried it again in March');
        assert.equal(await stash.get('new'), 'a third query');
      });

      test('WHEN meta values are set THEN setIfAbsent keeps the first one', async (t) => {
        const { meta } = await fresh(t);
        assert.equal(await meta.get('corpus_id'), undefined);
        assert.equal(await meta.setIfAbsent('corpus_id', 'first'), 'first');
        assert.equal(await meta.setIfAbsent('corpus_id', 'second'), 'first');
        await meta.set('builtin_corpus', 'yes');
        await meta.set('builtin_corpus', 'again');
        assert.equal(await meta.get('builtin_corpus'), 'again');
      });
    });

    describe('generated TL;DRs', () => {
      test('WHEN a TL;DR is kept THEN it is found for its paper, model and prompt only, the latest one wins', async (t) => {
        const { generatedTldrs } = await fresh(t);
        assert.equal(await generatedTldrs.get('2501.00001', 'tiny-llama', 'h1'), undefined);
        await generatedTldrs.put({ paperId: '2501.00001', model: 'tiny-llama', promptHash: 'h1', text: 'First.' });
        await generatedTldrs.put({ paperId: '2501.00001', model: 'big-llama', promptHash: 'h1', text: 'Other model.' });
        assert.equal(await generatedTldrs.get('2501.00001', 'tiny-llama', 'h1'), 'First.');
        assert.equal(await generatedTldrs.get('2501.00001', 'big-llama', 'h1'), 'Other model.');
        assert.equal(await generatedTldrs.get('2501.00001', 'tiny-llama', 'h2'), undefined, 'another prompt misses');
        assert.equal(await generatedTldrs.get('2501.00002', 'tiny-llama', 'h1'), undefined, 'another paper misses');
        // A new prompt (a changed abstract) replaces the paper's TL;DR from that model.
        const text = 'Émoji 🦙, "quotes" and a \\ backslash.';
        await generatedTldrs.put({ paperId: '2501.00001', model: 'tiny-llama', promptHash: 'h2', text });
        assert.equal(await generatedTldrs.get('2501.00001', 'tiny-llama', 'h2'), text);
        assert.equal(await generatedTldrs.get('2501.00001', 'tiny-llama', 'h1'), undefined, 'the old one is gone');
        assert.equal(await generatedTldrs.get('2501.00001', 'big-llama', 'h1'), 'Other model.');
      });
    });

    describe('workspaces', () => {
      /** A subscription, a pending alert, a saved paper, a pause and an installation for `channel`'s workspace. */
      async function seed(store: Store, channel: ChannelKey, paperId: string): Promise<void> {
        const sub = await store.alerts.addSubscription({ ...channel, query: 'lora', mode: 'instant' });
        await store.alerts.enqueue({ ...ALERT, ...channel, paperId, subscriptionId: sub.id });
        await store.library.save({ ...channel, paperId, savedBy: 'U1', savedAt: '2025-03-01T00:00:00.000Z' });
        await store.alerts.pauseChannel(channel, 'app_uninstalled', '2025-03-01T00:00:00.000Z');
        await store.feedback.add({ ...channel, paperId, givenBy: 'U1', givenAt: '2025-03-01T00:00:00.000Z' });
        await store.notices.queue(
          { ...channel, key: `quiet:${sub.id}:2025-03-01`, text: 'Quiet.' },
          '2025-03-01T09:00:00Z',
        );
        await store.installations.save({
          platform: channel.platform,
          workspaceId: channel.workspaceId,
          orgWide: false,
          sealed: 'pb1.sealed',
        });
      }

      test('WHEN a workspace is removed twice THEN its first removal time counts; coming back forgets it', async (t) => {
        const { workspaces } = await fresh(t);
        await workspaces.markRemoved('slack', 'T1', 'app_uninstalled', '2025-03-01T00:00:00.000Z');
        await workspaces.markRemoved('slack', 'T1', 'tokens_revoked', '2025-03-05T00:00:00.000Z');
        assert.deepEqual(await workspaces.removal('slack', 'T1'), {
          platform: 'slack',
          workspaceId: 'T1',
          removedAt: '2025-03-01T00:00:00.000Z',
          reason: 'app_uninstalled',
        });
        await workspaces.markRemoved('discord', 'G1', 'guild_removed', '2025-03-10T00:00:00.000Z');
        assert.deepEqual(
          (await workspaces.removedBefore('2025-03-06T00:00:00.000Z')).map((w) => w.workspaceId),
          ['T1'],
        );
        assert.equal(await workspaces.markReturned('slack', 'T1'), true);
        assert.equal(await workspaces.markReturned('slack', 'T1'), false);
        assert.equal(await workspaces.removal('slack', 'T1'), undefined);
      });

      test(
        "WHEN a removed workspace's data is purged THEN all of it goes, and nothing of another workspace " +
          'sharing its channel, nor of one that came back',
        async (t) => {
          const store = await fresh(t);
          const gone: ChannelKey = { ...C1, workspaceId: 'T1' };
          const staying: ChannelKey = { ...C1, workspaceId: 'T2' };
          await seed(store, gone, 'p1');
          await seed(store, staying, 'p2');
          await store.workspaces.markRemoved('slack', 'T1', 'app_uninstalled', '2025-03-01T00:00:00.000Z');
          await store.workspaces.markRemoved('slack', 'T2', 'app_uninstalled', '2025-03-01T00:00:00.000Z');
          assert.equal(await store.workspaces.markReturned('slack', 'T2'), true);

          assert.equal(
            await store.workspaces.purge('slack', 'T1', '2025-02-01T00:00:00.000Z'),
            undefined,
            'not before the grace period ended',
          );
          assert.equal(await store.workspaces.purge('slack', 'T2', '2025-04-01T00:00:00.000Z'), undefined, 'back');
          assert.deepEqual(await store.workspaces.purge('slack', 'T1', '2025-04-01T00:00:00.000Z'), {
            subscriptions: 1,
            libraryItems: 1,
            alerts: 1,
            pausedChannels: 1,
            feedback: 1,
            notices: 1,
            installations: 1,
          });
          assert.equal(await store.workspaces.removal('slack', 'T1'), undefined);
          assert.deepEqual(await store.alerts.channelSubscriptions(gone), []);
          assert.equal(await store.library.count(gone), 0);
          assert.equal(await store.alerts.channelPause(gone), undefined);
          assert.equal(await store.installations.get('slack', 'T1'), undefined);
          assert.deepEqual(await store.feedback.items(gone), []);
          assert.deepEqual(await store.notices.channel(gone), []);
          assert.equal((await store.feedback.items(staying)).length, 1);
          assert.equal((await store.notices.channel(staying)).length, 1);
          assert.equal((await store.alerts.channelSubscriptions(staying)).length, 1);
          assert.equal(await store.library.count(staying), 1);
          assert.ok(await store.alerts.channelPause(staying));
          assert.ok(await store.installations.get('slack', 'T2'));
          assert.deepEqual(
            (await store.alerts.rows()).map((r) => r.workspaceId),
            ['T2'],
          );
          assert.equal(await store.workspaces.purge('slack', 'T1', '2025-04-01T00:00:00.000Z'), undefined, 'once');
        },
      );

      test(
        "WHEN a workspace adopts a channel THEN the channel's rows kept without a workspace become its own, " +
          'except what it has already',
        async (t) => {
          const store = await fresh(t);
          const unkeyed: ChannelKey = { ...C1, workspaceId: '' };
          await seed(store, unkeyed, 'p1');
          await store.library.save({ ...unkeyed, paperId: 'p2', savedBy: 'U1', savedAt: '2025-03-01T00:00:00.000Z' });
          await store.library.save({ ...C1, paperId: 'p2', savedBy: 'U7', savedAt: '2025-03-02T00:00:00.000Z' });
          await store.library.save({
            ...unkeyed,
            channelId: 'C9',
            paperId: 'p3',
            savedBy: 'U1',
            savedAt: '2025-03-03T00:00:00.000Z',
          });
          assert.equal(await store.workspaces.adopt(unkeyed), 0, 'no workspace, nothing to adopt');
          // The subscription, its alert, p1, the pause.
          assert.equal(await store.workspaces.adopt(C1), 4);
          assert.equal((await store.alerts.channelSubscriptions(C1)).length, 1);
          assert.deepEqual((await store.library.items(C1)).map((i) => [i.paperId, i.savedBy]).sort(), [
            ['p1', 'U1'],
            ['p2', 'U7'],
          ]);
          assert.ok(await store.alerts.channelPause(C1));
          assert.equal((await store.alerts.rows())[0]!.workspaceId, 'T1');
          assert.equal(await store.library.count(unkeyed), 1, 'the copy of a paper it had stays where it was');
          assert.equal(await store.library.count({ ...unkeyed, channelId: 'C9' }), 1, 'other channels are untouched');
          assert.equal(await store.workspaces.adopt(C1), 0);
        },
      );
    });

    describe('transactions', () => {
      test('WHEN the work succeeds THEN papers and alerts commit together', async (t) => {
        const store = await fresh(t);
        const result = await store.transaction(async (tx) => {
          await tx.papers.upsert(paper({ id: '2503.00001', title: 'Tx Paper' }));
          await tx.alerts.enqueue(ALERT);
          return 'done';
        });
        assert.equal(result, 'done');
        assert.equal(await store.papers.count(), 1);
        assert.equal((await store.alerts.rows()).length, 1);
      });

      test('WHEN the work throws THEN nothing of it stays, and the store keeps working', async (t) => {
        const store = await fresh(t);
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.papers.upsertMany([paper({ id: '2503.00001', title: 'Tx Paper' })]);
            await tx.alerts.enqueue(ALERT);
            await tx.meta.set('k', 'v');
            throw new Error('boom');
          }),
          /boom/,
        );
        assert.equal(await store.papers.count(), 0);
        assert.deepEqual(await store.alerts.rows(), []);
        assert.equal(await store.meta.get('k'), undefined);
        assert.equal(await store.papers.version(), 0);
        await store.papers.upsert(paper({ id: '2503.00002', title: 'After' }));
        assert.equal(await store.papers.count(), 1);
      });

      test('WHEN others call the store during a transaction THEN they see it whole or not at all', async (t) => {
        const store = await fresh(t);
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const tx = store.transaction(async (inside) => {
          await inside.papers.upsert(paper({ id: '2503.00001', title: 'One' }));
          await gate;
          await inside.papers.upsert(paper({ id: '2503.00002', title: 'Two' }));
        });
        const seen = store.papers.count();
        await new Promise((resolve) => setTimeout(resolve, 20));
        release();
        await tx;
        assert.ok([0, 2].includes(await seen), `saw ${await seen} papers`);
        assert.equal(await store.papers.count(), 2);
      });
    });

    describe('poll lock', () => {
      test('WHEN one holder has the lock THEN another cannot take it until it is released or expires', async (t) => {
        const store = await fresh(t);
        let now = 1_000_000;
        const first = store.pollLock({ ttlMs: 60_000, now: () => now });
        const second = store.pollLock({ ttlMs: 60_000, now: () => now });
        assert.ok(await first.acquire());
        assert.ok(await first.acquire(), 'taking it again is fine');
        assert.equal(await second.acquire(), false);
        const holder = (await second.holder())!;
        assert.equal(holder.pid, process.pid);
        // A lease row expires; PostgreSQL's advisory lock lives as long as its connection (see postgres-cluster.test).
        const leases = store.engine === 'sqlite';
        if (leases) assert.equal(holder.expiresAt, now + 60_000);
        now += 30_000;
        assert.ok(await first.heartbeat());
        now += 40_000;
        assert.equal(await second.acquire(), false, 'the heartbeat kept it');
        await first.release();
        assert.equal(await first.holder(), undefined);
        assert.ok(await second.acquire());
        assert.equal(await first.heartbeat(), false, 'no longer ours');
        now += 61_000;
        if (leases) assert.ok(await first.acquire(), 'expired');
        const other = store.pollLock({ name: 'other', now: () => now });
        assert.ok(await other.acquire(), 'locks by other names are separate');
        await Promise.all([first.release(), second.release(), other.release()]);
      });
    });
  });
}
