/**
 * `paperboy library import`: BibTeX, CSL-JSON, Zotero CSV and id lists matched to the corpus, unknown arXiv ids
 * fetched from a local stand-in for the arXiv API, reports with line numbers, idempotence, and bad files refused
 * whole.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { openStore } from '../../src/core/store/open.ts';
import { type PaperSourceServer, serveRecordedPayloads, startPaperSourceServer } from '../fakes/paper-source-server.ts';

let dir: string;
let db: string;
let arxiv: PaperSourceServer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-library-'));
  db = join(dir, 'pb.db');
  arxiv = serveRecordedPayloads(await startPaperSourceServer());
  process.env.ARXIV_API_URL = arxiv.url;
  // The entries are matched against the built-in papers, which the command line loads only when asked.
  assert.equal((await cli(['stats', '--with-builtin'])).code, 0);
});
after(async () => {
  await arxiv.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--db', db], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function libraryIds(channel = 'C1'): Promise<string[]> {
  const store = await openStore({ engine: 'sqlite', path: db });
  try {
    return (await store.library.items({ platform: 'slack', workspaceId: 'T1', channelId: channel }))
      .map((item) => item.paperId)
      .sort();
  } finally {
    await store.close();
  }
}

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const BIB = `% exported from Zotero
@article{skip2024,
  title = {The Surprising Effectiveness of {Skip-Tuning} in Diffusion Sampling},
  author = {Ma, Jiajun and Xue, Shuchen},
}

@misc{heat2016,
  title = {Heat-bath random walks with Markov bases},
  eprint = {1605.08386},
  archivePrefix = {arXiv},
}

@inproceedings{nowhere,
  title = {A Paper Nobody Has Indexed},
  doi = {10.1000/xyz123},
}
`;

test('GIVEN a BibTeX library THEN entries match by title and arXiv id (fetched), with line numbers', async () => {
  const bib = file('refs.bib', BIB);
  const first = await cli(['library', 'import', '--channel', 'slack:T1:C1', bib]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^refs\.bib: bibtex/m);
  assert.match(first.out, /3 entries: 2 saved, 0 already in the library, 1 unmatched \(1 papers fetched from arXiv/);
  assert.match(
    first.out,
    /line 2: saved .*"The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling" \(by title\)/,
  );
  assert.match(first.out, /line 7: saved 1605\.08386 "Heat-bath random walks with Markov bases" \(by arxiv id\)/);
  assert.match(first.out, /line 13: unmatched nowhere: no corpus paper has this title/);
  assert.deepEqual(
    arxiv.requests.filter((r) => r.path === '/api/query').map((r) => r.query.get('id_list')),
    ['1605.08386'],
  );
  assert.equal((await libraryIds()).length, 2);
  // The fetched paper is now in the corpus and its index.
  assert.match((await cli(['search', 'heat-bath markov bases', '--json'])).out, /1605\.08386/);

  const again = await cli(['library', 'import', '--channel', 'slack:T1:C1', bib]);
  assert.equal(again.code, 0);
  assert.match(again.out, /3 entries: 0 saved, 2 already in the library, 1 unmatched/);
  assert.equal((await libraryIds()).length, 2);
});

test('GIVEN CSL-JSON, a Zotero CSV and an id list THEN each is read and matched', async () => {
  const csl = file(
    'refs.json',
    JSON.stringify(
      [
        { id: 'item-1', type: 'article', title: 'The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling' },
        { id: 'item-2', type: 'article', title: 'Heat-bath', DOI: '10.48550/arXiv.1605.08386' },
      ],
      null,
      2,
    ),
  );
  const fromCsl = await cli(['library', 'import', '--channel', 'slack:T1:C2', csl]);
  assert.match(fromCsl.out, /^refs\.json: csl-json/m);
  assert.match(fromCsl.out, /2 entries: 2 saved/);
  assert.match(fromCsl.out, /line 8: saved 1605\.08386/);
  const csv = file(
    'zotero.csv',
    '"Key","Item Type","Publication Year","Author","Title","DOI","Url"\n' +
      '"ABCD1234","journalArticle","2024","Ma, Jiajun","The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling","",""\n' +
      '"EFGH5678","preprint","2016","","Heat-bath","","https://arxiv.org/abs/1605.08386v1"\n',
  );
  const fromCsv = await cli(['library', 'import', '--channel', 'slack:T1:C3', csv]);
  assert.match(fromCsv.out, /^zotero\.csv: zotero-csv/m);
  assert.match(fromCsv.out, /2 entries: 2 saved/);
  const list = file('ids.txt', '# my reading list\nhttps://arxiv.org/abs/1605.08386v2\n\narXiv:1605.08386\n');
  const fromList = await cli(['library', 'import', '--channel', 'slack:T1:C4', list]);
  assert.match(fromList.out, /^ids\.txt: id-list/m);
  assert.match(fromList.out, /2 entries: 1 saved, 1 already in the library, 0 unmatched/);
  assert.deepEqual(await libraryIds('C4'), ['1605.08386']);
});

test('GIVEN bad files THEN each is refused with a clear reason and nothing changes', async () => {
  const before = await libraryIds('C9');
  const cases: [string, string | Buffer, RegExp][] = [
    [
      'broken.bib',
      '@article{a,\n  title = {Unclosed\n@misc{b, title={x}}\n',
      /broken\.bib is not valid BibTeX \(\d+ errors?\): .*line/,
    ],
    [
      'junk.bin',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 0x00, 0x10]),
      /junk\.bin is not a UTF-8 text file/,
    ],
    ['nul.txt', 'abc\u0000\u0001\u0002def', /nul\.txt looks binary/],
    [
      'many.txt',
      Array.from({ length: 10_000 }, (_, i) => `2501.${String(i).padStart(5, '0')}`).join('\n'),
      /has 10,000 entries; an import takes at most 5,000/,
    ],
    ['bad.json', '[{"title": "x"', /bad\.json is not valid JSON/],
  ];
  for (const [name, content, message] of cases) {
    const result = await cli(['library', 'import', '--channel', 'slack:T1:C9', file(name, content)]);
    assert.equal(result.code, 1, name);
    assert.match(result.err, message);
    assert.match(result.err, /nothing was imported/);
    assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
  }
  // A 50 MB file is refused by its size, before it is read.
  const big = join(dir, 'big.bib');
  closeSync(openSync(big, 'w'));
  (await import('node:fs')).truncateSync(big, 50 * 1024 * 1024);
  const huge = await cli(['library', 'import', '--channel', 'slack:T1:C9', big]);
  assert.equal(huge.code, 1);
  assert.match(huge.err, /big\.bib is 50\.0 MB; library files are limited to 10 MB/);
  assert.deepEqual(await libraryIds('C9'), before);
  const usage = await cli(['library', 'import', '--channel', 'nowhere', big]);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--channel must be PLATFORM:WORKSPACE:CHANNEL/);
  const noWorkspace = await cli(['library', 'import', '--channel', 'slack:C9', big]);
  assert.equal(noWorkspace.code, 2);
  assert.match(noWorkspace.err, /--channel for slack names the workspace too: slack:WORKSPACE:CHANNEL/);
});

test('GIVEN a corpus paper whose id is a DOI THEN a BibTeX entry with that DOI matches it, whatever its title', async () => {
  const corpus = file(
    'doi-papers.jsonl',
    `${JSON.stringify({
      id: '10.1145/3290605.QUOKKA',
      title: 'Quokka Foraging Paths',
      abstract: 'We follow quokkas through the scrub. Their foraging paths follow old tunnels.',
    })}\n`,
  );
  assert.equal((await cli(['import', corpus])).code, 0);
  const bib = file(
    'doi.bib',
    '@article{quokka,\n  title = {Foraging paths of quokkas (journal version)},\n  doi = {10.1145/3290605.Quokka},\n}\n',
  );
  const result = await cli(['library', 'import', '--channel', 'slack:T1:C9', bib]);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /1 entries: 1 saved/);
  assert.match(result.out, /line 1: saved 10\.1145\/3290605\.quokka "Quokka Foraging Paths" \(by doi\)/);
  assert.deepEqual(await libraryIds('C9'), ['10.1145/3290605.quokka']);
});
