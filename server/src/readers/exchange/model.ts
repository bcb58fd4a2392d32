import { SourceFile, Span, Token } from '../../text/source';

/** An Exchange server as `Get-ExchangeServer | Export-Clixml` describes it. */
export interface ExportedExchangeServer {
  anchor: Span;
  name: Token;
  fqdn?: Token;
  /** `AdminDisplayVersion`, "Version 15.2 (Build 1118.7)": the product (docs/domain.md#exchange-versions). */
  adminDisplayVersion?: Token;
}

/** A UM service's or call router's dial plans, from `Get-UMService` / `Get-UMCallRouterSettings | Export-Clixml`. */
export interface ExportedUmBinding {
  anchor: Span;
  kind: 'UM service' | 'UM call router';
  server: Token;
  plans: Token[];
}

/** The OWA IM keys of an OWA `web.config`; which server it is on is not in the file. */
export interface WebConfigIm {
  file: SourceFile;
  anchor: Span;
  imServerName?: Token;
  thumbprint?: Token;
  /** The folder the file is in, which may name its server (`exchange/EX1/web.config`). */
  folder?: string;
}

/** What one Exchange-side export adds. */
export interface ExchangeExport {
  file: SourceFile;
  servers: ExportedExchangeServer[];
  bindings: ExportedUmBinding[];
  webConfigs: WebConfigIm[];
  /** Objects without a name: which server they describe is not known. */
  unnamed: Span[];
}
