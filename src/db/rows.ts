/** Shaping query rows into what repositories return. */

/** Rows grouped by key, each group in the order the rows came (a query's ORDER BY holds within a group). */
export function groupBy<Row, Value>(rows: readonly Row[], entry: (row: Row) => readonly [string, Value]): Map<string, Value[]> {
  const grouped = new Map<string, Value[]>();
  for (const row of rows) {
    const [key, value] = entry(row);
    const group = grouped.get(key);
    if (group === undefined) grouped.set(key, [value]);
    else group.push(value);
  }
  return grouped;
}
