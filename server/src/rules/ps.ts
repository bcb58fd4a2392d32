import { finding } from '../findings';
import { RuleContext } from './context';

/** PS001: a cmdlet argument held in a variable lync-kst cannot resolve; reported once, never guessed. */
export function scriptRules(ctx: RuleContext): void {
  for (const script of ctx.scripts) {
    for (const v of script.unresolved) {
      ctx.report(
        finding('PS001', 'information', v.span, `${v.name} has no simple literal assignment in this script, so lync-kst cannot tell which server it names; the cmdlets that use it are left out of the simulated KST. Assign it a literal (for example ${v.name} = 'ex1.contoso.com') to have it checked.`),
      );
    }
  }
}
