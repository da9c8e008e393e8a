"""The database side of the finance-score refresh: values in, scores out, set-based.

- In: one SQL statement pivots the SOF values to one row per trust and month, a column
  per metric (conditional aggregation: `FILTER` on PostgreSQL, `CASE` elsewhere); on
  PostgreSQL its result comes back as CSV through `COPY`, read by pandas in one pass.
- Decisions: NHS Improvement's moderation decisions for the months are read with one query
  and joined to the scored frame: a decided month keeps its decided score, and is flagged
  when the rules' proposal is no longer the one decided on. No query per row.
- Out: the months' old rows are deleted and the new ones written with one CSV `COPY` on
  PostgreSQL (for a refresh as large as the table, with its keys and indexes rebuilt after,
  as the metric values' bulk load does), `bulk_create` elsewhere.
"""

import datetime
import io
import math
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import connection

from metrics.models import FinanceScore, MetricDefinition, MetricValue, ModerationDecision, Trust
from metrics.models.scores import SCORE_COLUMNS, SOF_FLAG_CODES, SOF_METRIC_CODES
from metrics.services.bulk_tables import without_keys_and_indexes

SOF_CODES = [*SOF_METRIC_CODES, *SOF_FLAG_CODES]
# A refresh writing at least this many rows, and more than the table keeps, rebuilds indexes.
BULK_MIN_ROWS = 10_000


def _can_copy() -> bool:
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


def _pivot_sql(metric_ids: list[int], periods: list[datetime.date] | None):
    if connection.vendor == "postgresql":
        column = "max(value) FILTER (WHERE metric_id = %s)"
    else:  # SQLite (the embedded default) and the rest: the portable spelling
        column = "max(CASE WHEN metric_id = %s THEN value END)"
    params: list = [*metric_ids, *metric_ids]
    where = f"metric_id IN ({', '.join(['%s'] * len(metric_ids))})"
    if periods is not None:
        where += f" AND period IN ({', '.join(['%s'] * len(periods))})"
        params += periods
    sql = (
        f"SELECT trust_id, period, {', '.join([column] * len(metric_ids))}"  # noqa: S608
        f" FROM {connection.ops.quote_name(MetricValue._meta.db_table)}"
        f" WHERE {where} GROUP BY trust_id, period"
    )
    return sql, params


def _pivot_rows(metric_ids, periods, columns) -> pd.DataFrame:
    sql, params = _pivot_sql(metric_ids, periods)
    with connection.cursor() as cursor:
        if _can_copy():
            # Room for the hash aggregate's groups (a trust-month each) without spilling.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            buffer = io.BytesIO()  # bytes: a third of the memory of text
            query = cursor.mogrify(sql, params).decode()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buffer)
            buffer.seek(0)
            dtypes = dict.fromkeys(columns[2:], "float64") | {"period": str}
            return pd.read_csv(buffer, header=None, names=columns, dtype=dtypes)
        cursor.execute(sql, params)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def _as_dates(column: pd.Series) -> pd.Series:
    """Months as `datetime.date` (SQLite and CSV give text), converted once per month."""
    months = {value: value for value in column.unique()}
    for value in months:
        if not isinstance(value, datetime.date):
            months[value] = datetime.date.fromisoformat(str(value)[:10])
    return column.map(months)


def sof_values_wide(*, periods: list[datetime.date] | None) -> pd.DataFrame:
    """Every active trust x every month with a SOF value: one row each, NaN where missing."""
    empty = pd.DataFrame(
        columns=SOF_CODES, index=pd.MultiIndex.from_tuples([], names=["trust_id", "period"])
    )
    definitions = dict(
        MetricDefinition.objects.filter(code__in=SOF_CODES).values_list("pk", "code")
    )
    trust_ids = list(Trust.objects.filter(active=True).values_list("pk", flat=True))
    if not definitions or not trust_ids or periods == []:
        return empty
    metric_ids = sorted(definitions)
    columns = ["trust_id", "period", *(definitions[pk] for pk in metric_ids)]
    wide = _pivot_rows(metric_ids, periods, columns)
    if wide.empty:
        return empty
    wide["period"] = _as_dates(wide["period"])
    wide = wide.set_index(["trust_id", "period"])
    full = pd.MultiIndex.from_product(
        [
            sorted(set(trust_ids) | set(wide.index.get_level_values(0))),
            sorted(set(wide.index.get_level_values(1))),
        ],
        names=["trust_id", "period"],
    )
    return wide.reindex(index=full, columns=SOF_CODES).astype("float64")


def _csv_value(name: str, value) -> str:
    if name in ("missing_metrics", "moderation"):  # quoted: an empty text is not NULL
        return '"' + str(value).replace('"', '""') + '"'
    if name in ("control_total_accepted", "financial_special_measures", "proposal_changed"):
        return "t" if value else "f"
    return f"{value:.2f}" if name == "average" else str(int(value))


def _csv_field(values, format_value) -> tuple[np.ndarray, list[str]]:
    """Each row's index into its column's distinct texts (NULL is the last, ""), the texts."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [format_value(value) for value in uniques] + [""]
    return np.where(codes < 0, len(texts) - 1, codes), texts


def _scores_csv(frame: pd.DataFrame, computed_at: datetime.datetime) -> "_LinesReader":
    """The scored rows as CSV for `COPY`.

    Each column holds few distinct values (scores 1-4, a few reasons), so each distinct
    combination of the score columns is formatted once, not each row's cells.
    """
    fields = [_csv_field(frame[name], lambda v, n=name: _csv_value(n, v)) for name in SCORE_COLUMNS]
    codes = np.stack([row_codes for row_codes, _ in fields], axis=1)
    combined = np.zeros(len(frame), np.int64)
    if math.prod(len(texts) for _, texts in fields) < 2**62:
        for row_codes, texts in fields:
            combined = combined * len(texts) + row_codes
    else:  # too many combinations to number: every row is its own
        combined = np.arange(len(frame))
    combo_of_row = pd.factorize(combined)[0]
    first_rows = np.unique(combo_of_row, return_index=True)[1]
    combo_texts = [
        ",".join(fields[i][1][code] for i, code in enumerate(codes[row])) for row in first_rows
    ]
    middle = (combo_texts[combo] for combo in combo_of_row.tolist())
    trust_codes, trust_texts = _csv_field(frame.index.get_level_values(0), str)
    month_codes, month_texts = _csv_field(frame.index.get_level_values(1), str)
    stamp = computed_at.isoformat()
    lines = (
        f"{trust_texts[t]},{month_texts[m]},{text},{stamp}\n"
        for t, m, text in zip(trust_codes.tolist(), month_codes.tolist(), middle, strict=True)
    )
    return _LinesReader(lines)


class _LinesReader:
    """A file-like over lines made on demand: `COPY` reads the CSV without it being held."""

    def __init__(self, lines):
        self.lines, self.pending = lines, b""

    def read(self, size: int = -1) -> bytes:
        parts, length = [self.pending], len(self.pending)
        for line in self.lines:
            parts.append(line.encode())
            length += len(parts[-1])
            if 0 <= size <= length:
                break
        data = b"".join(parts)
        if size < 0:
            self.pending = b""
            return data
        self.pending = data[size:]
        return data[:size]


def _none_if_na(value):
    return None if pd.isna(value) else value


def _scores_bulk_create(frame: pd.DataFrame) -> None:
    rows = [
        FinanceScore(
            trust_id=int(trust_id),
            period=period,
            average=None if pd.isna(row.average) else Decimal(f"{row.average:.2f}"),
            overall=_none_if_na(row.overall),
            proposed=_none_if_na(row.proposed),
            moderated=_none_if_na(row.moderated),
            decision_id=_none_if_na(row.decision_id),
            proposal_changed=bool(row.proposal_changed),
            control_total_accepted=_none_if_na(row.control_total_accepted),
            financial_special_measures=_none_if_na(row.financial_special_measures),
            missing_metrics=row.missing_metrics,
            moderation=row.moderation,
            **{code: _none_if_na(getattr(row, code)) for code in SOF_METRIC_CODES},
        )
        for (trust_id, period), row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    FinanceScore.objects.bulk_create(rows, batch_size=2000)


DECISION_COLUMNS = ["trust_id", "period", "decision_id", "overall", "proposed", "reason", "score"]


def _same(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Element-wise equality where two missing values are the same and one missing is not."""
    both_missing = left.isna().to_numpy() & right.isna().to_numpy()
    return both_missing | left.eq(right).fillna(False).to_numpy(dtype=bool)


def decisions_apply(*, frame: pd.DataFrame, periods: list[datetime.date] | None) -> pd.DataFrame:
    """Give each scored row the decision that stands for its trust and month, if any.

    One query reads the months' decisions (newest first; the first per month stands). A
    decided row keeps the decided score as `moderated` and is flagged `proposal_changed`
    when the unmoderated score, the proposed score or its reason differ from what was
    decided on. Undecided rows keep the proposal.
    """
    decisions = ModerationDecision.objects.all()
    if periods is not None:
        decisions = decisions.filter(period__in=periods)
    rows = decisions.order_by("trust_id", "period", "-decided_at", "-pk").values_list(
        "trust_id", "period", "pk", "overall", "proposed", "proposal_reason", "score"
    )
    frame = frame.copy()
    frame["decision_id"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["proposal_changed"] = False
    current = pd.DataFrame(list(rows), columns=DECISION_COLUMNS)
    if current.empty or frame.empty:
        return frame
    current = current.drop_duplicates(["trust_id", "period"]).set_index(["trust_id", "period"])
    current = current.reindex(frame.index)  # months without a score row have nothing to keep
    decided = current["decision_id"].notna().to_numpy()
    frame["decision_id"] = current["decision_id"].astype("Int64")
    frame["moderated"] = frame["proposed"].mask(decided, current["score"].astype("Int64"))
    same = (
        _same(frame["overall"], current["overall"].astype("Int64"))
        & _same(frame["proposed"], current["proposed"].astype("Int64"))
        & (frame["moderation"].to_numpy(dtype=object) == current["reason"].to_numpy(dtype=object))
    )
    frame["proposal_changed"] = decided & ~same
    return frame


def finance_scores_replace(*, frame: pd.DataFrame, periods: list[datetime.date] | None) -> None:
    """Delete the months' scores (every month when None) and store `frame`'s rows instead,
    each with the moderation decision that stands for it.

    Call inside a transaction.
    """
    stale = FinanceScore.objects.all()
    if periods is not None:
        stale = stale.filter(period__in=periods)
    stale.delete()
    # NOTE: the decisions are read after the delete: a decision being recorded holds its
    # score row locked, so the delete waits for it and this read then sees it.
    frame = decisions_apply(frame=frame, periods=periods)
    if not len(frame) or not _can_copy():
        _scores_bulk_create(frame)
        return
    table = FinanceScore._meta.db_table
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in ["trust_id", "period", *SCORE_COLUMNS, "computed_at"])
    data = _scores_csv(frame, datetime.datetime.now(datetime.UTC))
    with connection.cursor() as cursor:
        copy = f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)"
        kept = f"SELECT count(*) FROM (SELECT 1 FROM {quote(table)} LIMIT %s) AS s"  # noqa: S608
        cursor.execute(kept, [len(frame)])
        if len(frame) >= BULK_MIN_ROWS and cursor.fetchone()[0] < len(frame):
            with without_keys_and_indexes(cursor, table):
                cursor.copy_expert(copy, data, 1 << 16)  # size; positional for the debug cursor
        else:
            cursor.copy_expert(copy, data, 1 << 16)  # size; positional for the debug cursor
