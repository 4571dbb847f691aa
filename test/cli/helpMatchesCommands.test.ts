// The help texts against what the CLI actually does (the README sends users to them).
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

/** The commands `atomenv help` takes, read from its own usage line. */
function helpTopics(mainHelp: string): string[] {
  const line = /atomenv help \[([^\]]+)\]/.exec(mainHelp);
  if (line === null) throw new Error('no "atomenv help [...]" line in --help');
  return line[1]!.split('|').map((topic) => topic.trim());
}

describe('help texts describe the commands as they run', () => {
  it('--help describes every command under "Commands:"', () => {
    const help = runCli(['--help']).stdout;
    const commands = help.slice(help.indexOf('Commands:'));
    const topics = helpTopics(help);
    expect(topics.length).toBeGreaterThanOrEqual(5);
    for (const topic of topics) {
      expect(commands, topic).toMatch(new RegExp(`^  ${topic}\\s`, 'm'));
      expect(runCli(['help', topic]).code, topic).toBe(0);
    }
  });

  it('compute --help names every descriptor a config file can name (acsf, soap, cace, n2p2)', () => {
    const help = runCli(['compute', '--help']).stdout;
    expect(help).toContain('"descriptor": "cace"');
    expect(help).toContain('"model"');
    expect(help).toContain('"descriptor": "n2p2"');
    expect(help).toContain('"inputNn"');
  });

  it('serve --help says that --workers computes on a worker pool', () => {
    const help = runCli(['serve', '--help']).stdout;
    expect(help).not.toContain('no worker pool');
    expect(help).toContain('pool of N worker');
  });
});
