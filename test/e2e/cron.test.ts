import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath } from '../helpers.js';
import { projectRoot } from './support.js';

// Issue 7 §7.8: every line of the README's cron section works pasted into a real crontab. The
// test reads the README's ```cron block and runs each job as cron would: the schedule fields
// dropped, `\%` unescaped (and a bare `%` ending the command, the rest its stdin), the crontab's
// own NAME=value lines in the environment over cron's (PATH=/usr/bin:/bin, SHELL=/bin/sh, HOME,
// LOGNAME), through `/bin/sh -c`, with no terminal. The store is prepared with the README's own
// setup lines (the ```sh block of the same section). Paths the README gives are mapped to this
// machine: /usr/local (where `npm link` put crmctl: bin/crmctl and bin/node) to a folder whose
// bin/crmctl links to this checkout's built binary, and /srv/crm (store, backups, logs) to a
// temporary folder. A line added to the block later (a nightly `crmctl cleanup`) is run too.

const installPrefix = '/usr/local';
const dataRoot = '/srv/crm';

interface Section {
  setup: string[];
  crontab: string[];
}

/** The ```sh and ```cron blocks of the README's "## Cron" section. */
function cronSection(): Section {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = /\n## Cron\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Cron" section');
  const block = (language: string) =>
    [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].flatMap(
      (match) => (match[1] ?? '').split('\n'),
    );
  return { setup: block('sh'), crontab: block('cron') };
}

interface CronJob {
  line: string;
  command: string;
  stdin: string;
}

/** What cron makes of a crontab: its environment lines, and each job's command and stdin. */
function parseCrontab(lines: string[]): { env: Record<string, string>; jobs: CronJob[] } {
  const env: Record<string, string> = {};
  const jobs: CronJob[] = [];
  for (const line of lines) {
    if (/^\s*(#|$)/.test(line)) continue;
    const assignment = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (assignment?.[1] !== undefined) {
      // crontab(5): the value is taken as it is (no expansion), quotes around it removed.
      env[assignment[1]] = (assignment[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
      continue;
    }
    const job = /^\s*(?:@\w+|(?:\S+\s+){4}\S+)\s+(.*)$/.exec(line);
    if (job?.[1] === undefined) throw new Error(`not a crontab line: ${line}`);
    jobs.push({ line, ...percentSigns(job[1]) });
  }
  return { env, jobs };
}

/** crontab(5): `\%` is a `%`; the first bare `%` ends the command, later ones are newlines of its stdin. */
function percentSigns(text: string): { command: string; stdin: string } {
  const parts: string[] = [];
  let part = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '%') {
      part += '%';
      i++;
    } else if (text[i] === '%') {
      parts.push(part);
      part = '';
    } else {
      part += text[i];
    }
  }
  parts.push(part);
  const stdin = parts.slice(1);
  return { command: parts[0] ?? '', stdin: stdin.length > 0 ? `${stdin.join('\n')}\n` : '' };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `/bin/sh -c COMMAND` in its own session (no controlling terminal), stdio on pipes. */
function sh(command: string, env: Record<string, string>, stdin = ''): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env,
      cwd: env.HOME,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let root: string;
let prefix: string;
let data: string;
let home: string;

/** README paths as they are on this machine. */
function here(text: string): string {
  return text.replaceAll(`${installPrefix}/`, `${prefix}/`).replaceAll(dataRoot, data);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'crmctl-cron-'));
  // What `npm link` leaves in its prefix: bin/crmctl, a link to the package's bin/crmctl.js,
  // beside the node it runs with.
  prefix = join(root, 'prefix');
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  symlinkSync(binPath, join(prefix, 'bin', 'crmctl'));
  symlinkSync(process.execPath, join(prefix, 'bin', 'node'));
  data = join(root, 'srv-crm');
  home = join(root, 'home');
  mkdirSync(home);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("the README's cron section", () => {
  it('names crmctl by its absolute path in every job: cron has no crmctl on its PATH', () => {
    const { jobs } = parseCrontab(cronSection().crontab);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const bare = job.command.replaceAll(`${installPrefix}/bin/crmctl`, '');
      expect(bare, job.line).not.toMatch(/(^|[^\w/.-])crmctl\b/);
      expect(job.command, job.line).toContain(`${installPrefix}/bin/crmctl `);
    }
  });

  it('runs every job as cron would, after its setup lines, and each does what its comment says', async () => {
    const { setup, crontab } = cronSection();
    expect(setup.length).toBeGreaterThan(0);
    const { env: crontabEnv, jobs } = parseCrontab(crontab);
    const login = userInfo().username;

    // Once, by a person at a shell where npm link put crmctl on the PATH.
    const person = { PATH: `${prefix}/bin:/usr/bin:/bin`, HOME: home, LOGNAME: login, USER: login };
    const prepared = await sh(here(setup.join('\n')), person);
    expect(prepared, 'the setup lines').toMatchObject({ code: 0 });
    const store = here(crontabEnv.CRMCTL_DB ?? `${dataRoot}/crm.db`);
    const crm = (args: string[], more: Record<string, string> = {}) =>
      sh(['crmctl', ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' '), {
        ...person,
        CRMCTL_DB: store,
        ...more,
      });

    // Deals for the monthly move: two unpaid in the default deal pipeline's "Final invoice",
    // one elsewhere in it, and one in "Final invoice" of another deal pipeline.
    expect(
      await crm([
        'pipeline',
        'add',
        'Wholesale',
        '--type',
        'deal',
        '--stages',
        'New,Final invoice',
      ]),
    ).toMatchObject({ code: 0 });
    const deal = async (title: string, stage: string, pipeline?: string) => {
      const added = await crm([
        'item',
        'add',
        '--type',
        'deal',
        '--title',
        title,
        '--stage',
        stage,
        ...(pipeline ? ['--pipeline', pipeline] : []),
      ]);
      expect(added, title).toMatchObject({ code: 0 });
      return Number(added.stdout.trim());
    };
    const unpaid = [await deal('Oak table', 'Final invoice'), await deal('Sofa', 'Final invoice')];
    const fresh = await deal('Chair', 'New');
    const wholesale = await deal('Pallet of chairs', 'Final invoice', 'Wholesale');

    // For the nightly cleanup: one item deleted 40 days ago (past the 30-day retention), one today.
    const binned = async (title: string, daysAgo: number) => {
      const at = { CRMCTL_NOW: new Date(Date.now() - daysAgo * 86_400_000).toISOString() };
      const added = await crm(['item', 'add', '--title', title], at);
      expect(added, title).toMatchObject({ code: 0 });
      expect(await crm(['item', 'delete', added.stdout.trim()], at)).toMatchObject({ code: 0 });
    };
    await binned('Old mistake', 40);
    await binned('Fresh mistake', 0);
    // And what the other cleanup tasks do: a delayed rule's job due an hour ago, and a blacklist
    // entry that expired yesterday.
    const ago = (hours: number) => ({
      CRMCTL_NOW: new Date(Date.now() - hours * 3_600_000).toISOString(),
    });
    expect(
      await crm([
        'rule',
        'add',
        '--stage',
        'New',
        '--action',
        'add-comment',
        '--param',
        'text=Called back?',
        '--delay',
        '1h',
      ]),
    ).toMatchObject({ code: 0 });
    expect(await crm(['item', 'add', '--title', 'Reminder'], ago(2))).toMatchObject({ code: 0 });
    expect(
      await crm(['blacklist', 'add', '+44 20 7946 0000', '--expires', '1d'], ago(48)),
    ).toMatchObject({ code: 0 });

    // cron's environment, then the crontab's NAME=value lines.
    const cronEnv = {
      PATH: '/usr/bin:/bin',
      SHELL: '/bin/sh',
      HOME: home,
      LOGNAME: login,
      ...Object.fromEntries(Object.entries(crontabEnv).map(([k, v]) => [k, here(v)])),
    };
    for (const job of jobs) {
      const ran = await sh(here(job.command), cronEnv, job.stdin);
      // cron mails whatever a job prints: a job that worked prints nothing.
      expect({ line: job.line, ...ran }).toEqual({
        line: job.line,
        code: 0,
        stdout: '',
        stderr: '',
      });
    }

    const stages = new Map<number, string>();
    const list = await crm(['item', 'list', '--type', 'deal', '--json']);
    for (const item of JSON.parse(list.stdout) as { id: number; stage: { name: string } }[]) {
      stages.set(item.id, item.stage.name);
    }
    const log = readFileSync(join(data, 'logs', 'nightly.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    // "every deal still in Final invoice of the default deal pipeline goes to Lost"
    const move = jobs.findIndex((job) => job.command.includes(' item move --from-stage '));
    expect(move, 'the monthly move').toBeGreaterThanOrEqual(0);
    for (const id of unpaid) expect(stages.get(id)).toBe('Lost');
    expect(stages.get(fresh)).toBe('New');
    expect(stages.get(wholesale)).toBe('Final invoice');
    expect(log.filter((entry) => 'moved' in entry)).toEqual([
      expect.objectContaining({ dryRun: false, moved: 2 }),
    ]);

    // "the nightly cleanup: purge the recycle bin past its retention": the old entry went, the
    // fresh one stays; run again, it finds nothing to do (twice is once).
    const cleanupJob = jobs.find((job) => job.command.includes(' cleanup '));
    expect(cleanupJob, 'the nightly cleanup').toBeDefined();
    expect(log.filter((entry) => 'tasks' in entry)).toEqual([
      expect.objectContaining({
        dryRun: false,
        tasks: {
          bin: { purged: 1, retentionDays: 30 },
          automation: { ran: 1, done: 1, skipped: 0, failed: 0, cancelled: 0, pending: 0 },
          blacklist: { expired: 1 },
        },
      }),
    ]);
    const bin = await crm(['recycle-bin', 'list', '--json']);
    expect((JSON.parse(bin.stdout) as { title: string }[]).map((e) => e.title)).toEqual([
      'Fresh mistake',
    ]);
    if (cleanupJob) {
      expect(await sh(here(cleanupJob.command), cronEnv, cleanupJob.stdin)).toMatchObject({
        code: 0,
        stderr: '',
      });
      const again = readFileSync(join(data, 'logs', 'nightly.log'), 'utf8')
        .trimEnd()
        .split('\n');
      expect(JSON.parse(again.at(-1) ?? '{}')).toMatchObject({
        tasks: { bin: { purged: 0 }, automation: { ran: 0 }, blacklist: { expired: 0 } },
      });
    }

    // "an online backup named by the date": a store that checks out, holding the moved deals.
    const backupJob = jobs.findIndex((job) => job.command.includes(' db backup '));
    expect(backupJob, 'the nightly backup').toBeGreaterThanOrEqual(0);
    const backups = readdirSync(join(data, 'backups'));
    expect(backups).toEqual([expect.stringMatching(/^crm-\d{4}-\d{2}-\d{2}\.db$/)]);
    const backup = join(data, 'backups', backups[0] ?? '');
    expect(log.filter((entry) => entry.path === backup)).toHaveLength(1);
    const checked = await sh(`crmctl --db '${backup}' db check --json`, person);
    expect(checked).toMatchObject({ code: 0 });
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true });
    const copied = await sh(`crmctl --db '${backup}' item list --type deal --json`, person);
    expect(JSON.parse(copied.stdout)).toEqual(JSON.parse(list.stdout));
  });
});
