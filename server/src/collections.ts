/** The value under `key`, made and stored on first use: grouping without `get(key)!`. */
export function at<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** Appends to the list under `key`. */
export function pushAt<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  at(map, key, () => []).push(value);
}
