/** DNS names compare case-insensitively, and `ex1.contoso.com.` is the same host as `ex1.contoso.com`. */
export function normFqdn(name: string): string {
  const t = name.trim().toLowerCase();
  return t.endsWith('.') ? t.slice(0, -1) : t;
}

/** A NetBIOS-style name (no dot) where Lync needs an FQDN. */
export function isDotless(name: string): boolean {
  return name.trim() !== '' && !normFqdn(name).includes('.');
}
