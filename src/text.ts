/** Quotes a user-given value for an error message: escaped, and cut short when long. */
export function quote(value: string, max = 48): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
