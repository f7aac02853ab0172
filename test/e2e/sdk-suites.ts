import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@hookstream/testing';

/** Where the SDK under test finds the services, and the key it calls them with. */
export interface SdkTarget {
  apiKey: string;
  gatewayUrl: string;
  registryUrl: string;
  dlqUrl: string;
}

/** One test case as its runner's JUnit XML report tells it. */
export interface SdkCase {
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
}

export interface SdkRun {
  code: number | null;
  output: string;
  cases: SdkCase[];
}

/** The test cases of a JUnit XML report (Surefire's and pytest's share the format). */
export function junitCases(xml: string): SdkCase[] {
  const cases: SdkCase[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = /\bname="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '';
    const body = m[3] ?? '';
    const outcome = /<(failure|error)\b/.test(body) ? 'failed' : /<skipped\b/.test(body) ? 'skipped' : 'passed';
    cases.push({ name, outcome });
  }
  return cases;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function sdkEnv(target: SdkTarget): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOOKSTREAM_API_KEY: target.apiKey,
    HOOKSTREAM_GATEWAY_URL: target.gatewayUrl,
    HOOKSTREAM_REGISTRY_URL: target.registryUrl,
    HOOKSTREAM_DLQ_URL: target.dlqUrl,
  };
}

/** `mvn test` in sdks/java: generates the client, compiles, runs the JUnit tests with Surefire. */
export async function runJavaSdk(target: SdkTarget): Promise<SdkRun> {
  const dir = join(REPO_ROOT, 'sdks/java');
  const reports = join(dir, 'target/surefire-reports');
  // An earlier run's reports must not speak for this one.
  rmSync(reports, { recursive: true, force: true });
  const { code, output } = await run('mvn', ['-B', '-q', 'test'], dir, sdkEnv(target));
  let files: string[] = [];
  try {
    files = readdirSync(reports).filter((f) => f.startsWith('TEST-') && f.endsWith('.xml'));
  } catch {
    files = []; // no reports at all: the caller sees no cases
  }
  const cases = files.flatMap((f) => junitCases(readFileSync(join(reports, f), 'utf8')));
  return { code, output, cases };
}

/** pytest in sdks/python, on Debian's Python and packages (npm test installs them). */
export async function runPythonSdk(target: SdkTarget): Promise<SdkRun> {
  const report = join(mkdtempSync(join(tmpdir(), 'hookstream-pytest-')), 'report.xml');
  const env = { ...sdkEnv(target), PYTHONDONTWRITEBYTECODE: '1' };
  const { code, output } = await run('/usr/bin/python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${report}`], join(REPO_ROOT, 'sdks/python'), env);
  let cases: SdkCase[] = [];
  try {
    cases = junitCases(readFileSync(report, 'utf8'));
  } catch {
    cases = [];
  }
  return { code, output, cases };
}
