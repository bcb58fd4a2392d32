import { SourceFile, Token } from '../../text/source';

/** An Exchange UM dial plan as an input file describes it. */
export interface DialPlan {
  file: SourceFile;
  name: Token;
  /** As written: TelExtn, E164 or SipName (any case); anything else is UM004. */
  uriType?: Token;
  /** FQDNs or short server names (CLIXML usually holds short names). */
  servers: Token[];
  /** From `exchangeVersion` in the JSON format; CLIXML does not say. */
  exchangeVersion?: Token;
  /** The file's `defaultDomain`, used to resolve short names. */
  defaultDomain?: string;
}

export const URI_TYPES = ['TelExtn', 'E164', 'SipName'] as const;

export type UriType = (typeof URI_TYPES)[number];

export function uriTypeOf(plan: DialPlan): UriType | undefined {
  const v = plan.uriType?.value.toLowerCase();
  return URI_TYPES.find((t) => t.toLowerCase() === v);
}
