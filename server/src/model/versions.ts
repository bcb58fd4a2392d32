import { Token } from '../text/source';

/** KST version numbers (docs/domain.md#versions). 7 and 8 are inferred from ServiceVersion values. */
const PRODUCTS: Record<number, string> = {
  0: 'any',
  5: 'Lync Server 2010',
  6: 'Lync Server 2013',
  7: 'Skype for Business Server 2015',
  8: 'Skype for Business Server 2019',
};

export function productName(version: number): string {
  return PRODUCTS[version] ?? `unknown product (version ${version})`;
}

/** "version 6 (Lync Server 2013)" */
export function describeVersion(version: number): string {
  return `version ${version} (${productName(version)})`;
}

export interface VersionInfo {
  version: number;
  /** True when the files do not say and the configured default was used. */
  assumed: boolean;
  /** Why it was assumed, for messages. */
  why?: string;
  /** The ServiceVersion attribute it came from. */
  token?: Token;
}
