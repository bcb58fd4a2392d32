/**
 * A host name in the one form the KST compares: lower case, no trailing dot. Branded so a map keyed by
 * FQDN cannot be looked up with a name that skipped normalisation.
 */
export type Fqdn = string & { readonly __normalised: 'fqdn' };

/** DNS names compare case-insensitively, and `ex1.contoso.com.` is the same host as `ex1.contoso.com`. */
export function normFqdn(name: string): Fqdn {
  const t = name.trim().toLowerCase();
  return (t.endsWith('.') ? t.slice(0, -1) : t) as Fqdn;
}

/** A NetBIOS-style name (no dot) where Lync needs an FQDN. */
export function isDotless(name: string): boolean {
  return name.trim() !== '' && !normFqdn(name).includes('.');
}
