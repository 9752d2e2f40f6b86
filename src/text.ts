/** Quotes a user-given value for an error message: escaped, and cut short when long. */
export function quote(value: string, max = 48): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  // JSON escapes C0 controls; DEL, C1 controls and Unicode line separators are escaped too, so a message stays one line.
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
