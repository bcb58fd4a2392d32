/**
 * CLIXML as `Export-Clixml` writes it, for trusted-application exports in tests: each object
 * with its type names (the first object of a type declares them, later ones refer back with
 * <TNRef>), its ToString and typed members. Values may hold `⟦CODE text⟧` marks (cases.ts).
 */
export type MemberValue = string | number | boolean | null | string[];

export interface ExportObject {
  /** A Lync type (DisplayExternalServer, DisplayTrustedApplication, DisplayComputer…), or a full type name. */
  type: string;
  toString: string;
  props: Record<string, MemberValue>;
}

export function clixml(objects: ExportObject[], eol = '\n'): string {
  const declared = new Map<string, number>();
  let refs = 0;
  const lines = ['<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'];
  for (const o of objects) {
    lines.push(`  <Obj RefId="${refs++}">`);
    const known = declared.get(o.type);
    if (known === undefined) {
      declared.set(o.type, declared.size);
      lines.push(
        `    <TN RefId="${declared.size - 1}">`,
        `      <T>Deserialized.${o.type.includes('.') ? o.type : `Microsoft.Rtc.Management.Xds.${o.type}`}</T>`,
        '      <T>Deserialized.System.Object</T>',
        '    </TN>',
      );
    } else lines.push(`    <TNRef RefId="${known}" />`);
    lines.push(`    <ToString>${o.toString}</ToString>`, '    <Props>');
    for (const [name, v] of Object.entries(o.props)) {
      if (v === null) lines.push(`      <Nil N="${name}" />`);
      else if (Array.isArray(v)) {
        lines.push(
          `      <Obj N="${name}" RefId="${refs++}">`,
          '        <LST>',
          ...v.map((s) => `          <S>${s}</S>`),
          '        </LST>',
          '      </Obj>',
        );
      } else if (typeof v === 'number') lines.push(`      <I32 N="${name}">${v}</I32>`);
      else if (typeof v === 'boolean') lines.push(`      <B N="${name}">${v}</B>`);
      else lines.push(`      <S N="${name}">${v}</S>`);
    }
    lines.push('    </Props>', '  </Obj>');
  }
  lines.push('</Objs>');
  return lines.join(eol) + eol;
}

/** A `Get-CsTrustedApplicationPool` object; `fqdn` may be marked. */
/** The text without its marks, for the members that repeat a marked value. */
function plain(text: string): string {
  return text.replace(/⟦[A-Z0-9+]+ ?|⟧/g, '');
}

export function pool(fqdn: string, props: Record<string, MemberValue> = {}): ExportObject {
  const name = plain(fqdn);
  return {
    type: 'DisplayExternalServer',
    toString: `TrustedApplicationPool:${name}`,
    props: {
      Identity: `TrustedApplicationPool:${name}`,
      Registrar: 'Registrar:pool01.contoso.com',
      RequiresReplication: false,
      ServiceId: '1-ExternalServer-1',
      SiteId: 'Site:HQ',
      PoolFqdn: fqdn,
      ...props,
    },
  };
}

/** A `Get-CsTrustedApplication` object. */
export function app(poolFqdn: string, id: string, port: number | string, props: Record<string, MemberValue> = {}): ExportObject {
  return {
    type: 'DisplayTrustedApplication',
    toString: `${poolFqdn}/urn:application:${id}`,
    props: {
      Identity: `${poolFqdn}/urn:application:${id}`,
      Protocol: 'Mtls',
      ApplicationId: `urn:application:${id}`,
      TrustedApplicationPoolFqdn: poolFqdn,
      Port: port,
      ...props,
    },
  };
}

/** A `Get-CsTrustedApplicationComputer` object. */
export function computer(fqdn: string, poolFqdn: string): ExportObject {
  return { type: 'DisplayComputer', toString: plain(fqdn), props: { Identity: plain(fqdn), Pool: poolFqdn, Fqdn: fqdn } };
}
