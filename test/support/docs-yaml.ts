// The YAML of the docs, checked by promtool: Prometheus configurations (`promtool check config`)
// and rule files (`promtool check rules`), each in a temporary directory of its own.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The code of every fenced block of `language` in `text`, in order. */
export function blocksIn(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (match) => match[1] as string,
  );
}

/** What a YAML block of the docs is, by its top-level keys. */
export function kindOf(yaml: string): 'config' | 'rules' | 'kubernetes' | 'unknown' {
  if (/^scrape_configs:/m.test(yaml)) return 'config';
  if (/^groups:/m.test(yaml)) return 'rules';
  if (/^apiVersion:/m.test(yaml)) return 'kubernetes';
  return 'unknown';
}

/**
 * Runs promtool on one config or rule file. `files` (path relative to the config → content)
 * are written beside it, as the config expects them (file_sd targets); every
 * `credentials_file` is pointed at a token file in the directory (promtool checks that it
 * exists). Returns promtool's status and output.
 */
export function promtoolCheck(
  kind: 'config' | 'rules',
  yaml: string,
  files: Readonly<Record<string, string>> = {},
): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'promlite-docs-yaml-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    writeFileSync(join(dir, 'token'), 'docs-token\n');
    const file = join(dir, kind === 'config' ? 'prometheus.yml' : 'rules.yml');
    writeFileSync(file, yaml.replace(/credentials_file: \S+/g, `credentials_file: ${join(dir, 'token')}`));
    const result = spawnSync('promtool', ['check', kind, file], { encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
