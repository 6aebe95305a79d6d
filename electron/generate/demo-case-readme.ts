// The README the demo case folder (assets/demo/case) carries: the folder's evidence was made by
// the project's own generator, and says so where the files are. "Open demo case" opens the
// folder's evidence, not this file.

/** The file's name in the case folder. */
export const DEMO_CASE_README = 'README.md';

/** Its text, given the generator commands that made the evidence beside it. */
export function demoCaseReadme(commands: readonly string[]): string {
  return [
    '# Demo case evidence',
    '',
    "Every evidence file in this folder was made by RunKey Hunter's own evidence generator",
    '(`shared/generator`), from fixed seeds; nothing here was recorded on a real host or copied from',
    'third-party samples. The hosts, users, SIDs, domains and IP addresses are invented. "Open demo',
    'case" opens the evidence files of this folder (not this README); the answer keys are kept apart',
    'in `../answer-keys/`. `npm run demo:build` rebuilds the folder byte for byte with:',
    '',
    '```',
    ...commands,
    '```',
    '',
    'See `../README.md` for what the case holds.',
    '',
  ].join('\n');
}
