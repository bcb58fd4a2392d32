import { SourceFile, Span, Token } from '../../text/source';

/**
 * What `Get-CsTrustedApplicationPool`, `Get-CsTrustedApplication` and
 * `Get-CsTrustedApplicationComputer` piped to `Export-Clixml` say about the deployment they were
 * run on. Admins share these instead of a topology; they are the live deployment, not a plan, so
 * nothing in them is ever rewritten.
 */
export interface TrustedExport {
  file: SourceFile;
  pools: ExportedPool[];
  apps: ExportedApp[];
  computers: ExportedComputer[];
}

/** A `DisplayExternalServer` object. */
export interface ExportedPool {
  /** The object's start tag: where pool-level findings go. */
  anchor: Span;
  /** `PoolFqdn`, else the FQDN in `Identity` (`TrustedApplicationPool:` stripped). */
  fqdn: Token;
  /** `Registrar`, `Registrar:` stripped; absent when the pool has none. */
  registrar?: Token;
  requiresReplication?: Token;
  /** A `Version` member, when the export has one: the KST version of the pool's entries. */
  version?: Token;
}

/** A `DisplayTrustedApplication` object (Identity `pool/urn:application:id`). */
export interface ExportedApp {
  anchor: Span;
  pool: Token;
  id: Token;
  port?: Token;
}

/** A `DisplayComputer` object: a computer of a trusted application pool. */
export interface ExportedComputer {
  anchor: Span;
  fqdn: Token;
  pool: Token;
}
