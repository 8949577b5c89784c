/**
 * The curl commands of a Markdown file, read the way a shell would read them (quotes, `\`
 * line continuations, comments, a trailing `> file` redirection), so that a test can send
 * exactly the requests the README shows.
 */

export interface CurlRequest {
  /** The command as written, on one line, for messages. */
  command: string;
  method: string;
  url: string;
  headers: [string, string][];
  /** The data as written: text, or `@file` for a file's content. */
  data?: string;
}

/**
 * Splits shell text into commands of words. Single quotes keep everything; double quotes keep
 * all but `$NAME`, replaced from `variables` (left as written when unknown); `#` at a word's start
 * comments out the rest of the line; a lone `>` ends the command (its target is ignored).
 */
export function shellCommands(text: string, variables: Record<string, string> = {}): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  let redirected = false;
  const endWord = () => {
    if (word !== null && !redirected) {
      if (word === '>') redirected = true;
      else words.push(word);
    }
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
    redirected = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && text[i + 1] === '\n') {
      i++;
      endWord();
    } else if (ch === '\n' || ch === ';') endCommand();
    else if (ch === ' ' || ch === '\t') endWord();
    else if (ch === '#' && word === null) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${text.slice(i, i + 80)}`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new Error(`unterminated " in: ${text.slice(i, i + 80)}`);
      const inner = text
        .slice(i + 1, end)
        .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, name: string) => variables[name] ?? all);
      word = (word ?? '') + inner;
      i = end;
    } else if (ch === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0] ?? '';
      word = (word ?? '') + (variables[name] ?? `$${name}`);
      i += name.length;
    } else word = (word ?? '') + ch;
  }
  endCommand();
  return commands;
}

/** Flags that change what curl prints, not what it sends. */
const QUIET_FLAGS = ['-s', '-S', '-sS', '-i', '-f', '-L', '--silent', '--show-error', '--include', '--fail'];

/** Reads one curl command's words: method, URL, headers and data (flags it does not need are skipped). */
export function curlRequest(words: string[]): CurlRequest {
  let method: string | undefined;
  let url: string | undefined;
  let data: string | undefined;
  const headers: [string, string][] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    const next = () => {
      const value = words[++i];
      if (value === undefined) throw new Error(`${word} needs a value in: ${words.join(' ')}`);
      return value;
    };
    if (word === '-X' || word === '--request') method = next();
    else if (word === '-H' || word === '--header') {
      const header = next();
      const colon = header.indexOf(':');
      headers.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()]);
    } else if (['-d', '--data', '--data-binary', '--data-raw'].includes(word)) data = next();
    else if (/^https?:\/\//.test(word)) url = word;
    else if (word === '-o' || word === '--output') next();
    else if (!QUIET_FLAGS.includes(word))
      throw new Error(`unexpected curl argument ${word} in: ${words.join(' ')}`);
  }
  if (!url) throw new Error(`no URL in: ${words.join(' ')}`);
  return {
    command: words.join(' ').replace(/\s+/g, ' '),
    method: method ?? (data === undefined ? 'GET' : 'POST'),
    url,
    headers,
    ...(data === undefined ? {} : { data }),
  };
}

/**
 * Every curl command of a Markdown text, in order: those in `sh` code blocks, and those written
 * inline in prose between backticks.
 */
export function readmeCurlCommands(markdown: string, variables: Record<string, string> = {}): CurlRequest[] {
  const requests: { at: number; words: string[] }[] = [];
  const fence = /```sh\n([\s\S]*?)```/g;
  for (const block of markdown.matchAll(fence))
    for (const words of shellCommands(block[1] ?? '', variables))
      if (words[0] === 'curl') requests.push({ at: block.index ?? 0, words });
  const prose = markdown.replace(/```[\s\S]*?```/g, (block) => ' '.repeat(block.length));
  for (const inline of prose.matchAll(/`(curl [^`]+)`/g))
    for (const words of shellCommands(inline[1] ?? '', variables))
      requests.push({ at: inline.index ?? 0, words });
  return requests.sort((a, b) => a.at - b.at).map(({ words }) => curlRequest(words));
}
