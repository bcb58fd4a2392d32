import { DialPlan } from '../dialplans/model';
import { DialPlanServer } from '../dialplans/resolve';
import { Finding } from '../findings';
import { Fix } from '../fixes/model';
import { Kst } from '../kst/simulate';
import { Pools } from '../pools/trusted';
import { Script } from '../scripts/model';
import { Topology } from '../topology/model';
import { Input } from '../workspace/inputs';

/** Everything a rule may look at, built once per analysis. */
export interface RuleContext {
  inputs: Input[];
  topologies: Topology[];
  plans: DialPlan[];
  servers: DialPlanServer[];
  scripts: Script[];
  pools: Pools;
  kst: Kst;
  assumedVersion: number;
  report(f: Finding): void;
  /** Registers a fix (once per id) and returns its id for `Finding.fixes`. */
  offer(fix: Fix): string;
}
