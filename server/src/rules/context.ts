import { Fix } from '../fixes/model';
import { DialPlan } from '../readers/dialplans/model';
import { Input } from '../readers/registry';
import { Script } from '../readers/scripts/model';
import { Topology } from '../readers/topology/model';
import { Kst } from '../simulate/kst';
import { Live } from '../simulate/live';
import { ExchangeSide } from '../simulate/exchange';
import { Pools } from '../simulate/pools';
import { DialPlanServer } from '../simulate/servers';
import { Report } from './rule';

/** Everything a rule may look at, built once per analysis. */
export interface RuleContext {
  inputs: Input[];
  topologies: Topology[];
  plans: DialPlan[];
  servers: DialPlanServer[];
  scripts: Script[];
  pools: Pools;
  kst: Kst;
  live: Live;
  exchange: ExchangeSide;
  assumedVersion: number;
  /** Reports a finding of `rule`; push fix ids onto what it returns. */
  report: Report;
  /** Registers a fix (once per id) and returns its id for a finding's fixes. */
  offer(fix: Fix): string;
}
