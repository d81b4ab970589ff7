/** Escapes text for a LIKE/ILIKE pattern so that % and _ typed by a person match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
