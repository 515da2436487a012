/**
 * The columns of any count of closed deals (a month's, a competitor's): deals, won, lost, no
 * decision and win rate, headed and filled the same way in every table that shows them.
 */
import { numberCellClass, numberHeadClass } from "~/components/report/table-classes";
import type { OutcomeSummary } from "~/domain/winloss";
import { formatPercent } from "./format";

export function OutcomeHeads() {
  return (
    <>
      <th scope="col" className={numberHeadClass}>
        Deals
      </th>
      <th scope="col" className={numberHeadClass}>
        Won
      </th>
      <th scope="col" className={numberHeadClass}>
        Lost
      </th>
      <th scope="col" className={numberHeadClass}>
        No decision
      </th>
      <th scope="col" className={numberHeadClass}>
        Win rate
      </th>
    </>
  );
}

export function OutcomeCells({ counts }: { counts: OutcomeSummary }) {
  return (
    <>
      <td className={numberCellClass}>{counts.deals}</td>
      <td className={numberCellClass}>{counts.won}</td>
      <td className={numberCellClass}>{counts.lost}</td>
      <td className={numberCellClass}>{counts.noDecision}</td>
      <td className={numberCellClass}>{formatPercent(counts.winRate)}</td>
    </>
  );
}
