import { Link } from "@remix-run/react";
import type { SellerAgreementRow } from "~/domain/winloss";
import { Panel, PanelEmpty } from "~/components/report/panel";
import {
  cellClass,
  headClass,
  numberCellClass,
  numberHeadClass,
  tableClass,
  theadClass,
} from "~/components/report/table-classes";
import { useHrefWith } from "~/components/report/use-href-with";
import { winlossCsv } from "./csv";
import { formatPercent } from "./format";

/** Per seller: how often their main reason matches the buyer's, with the deals behind the rate. */
export function SellersPanel({ rows }: { rows: SellerAgreementRow[] }) {
  const hrefWith = useHrefWith();
  return (
    <Panel
      id="sellers"
      title="Seller agreement"
      csv={winlossCsv("sellers")}
      className="lg:col-span-2"
      description="How often each seller's main reason is the buyer's main reason, over their deals where both sides gave one (n). A rate on a few deals says little; read it with its n."
    >
      {rows.length === 0 ? (
        <PanelEmpty>No closed deal in this window has a seller on record.</PanelEmpty>
      ) : (
        <div className="relative overflow-x-auto">
          <table className={tableClass}>
            <caption className="sr-only">Seller agreement with buyers</caption>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={headClass}>
                  Seller
                </th>
                <th scope="col" className={numberHeadClass}>
                  Deals closed
                </th>
                <th scope="col" className={numberHeadClass}>
                  Both sides heard
                </th>
                <th scope="col" className={numberHeadClass}>
                  Main reason agreed
                </th>
                <th scope="col" className={numberHeadClass}>
                  Agreement
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.sellerId}>
                  <th scope="row" className={`${cellClass} text-left font-normal`}>
                    <Link
                      to={hrefWith({ seller: row.sellerId, dpage: undefined, vpage: undefined })}
                      className="font-medium text-indigo-700 hover:underline"
                      aria-label={`${row.sellerName}: show only their deals`}
                    >
                      {row.sellerName}
                    </Link>
                  </th>
                  <td className={numberCellClass}>{row.deals}</td>
                  <td className={numberCellClass}>{row.bothSides}</td>
                  <td className={numberCellClass}>
                    {row.agreed} of {row.judged}
                  </td>
                  <td className={numberCellClass}>
                    {formatPercent(row.rate)} <span className="text-slate-500">(n = {row.judged})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
