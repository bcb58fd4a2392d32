import { URI } from 'vscode-uri';

/** VS Code and other clients spell file URIs differently (`%3A`, drive-letter case): one key per file. */
export function keyOf(uri: string): string {
  return URI.parse(uri).toString();
}
