"""Splink (DuckDB backend) on the ground-truth records: the yardstick of the duplicate benchmark.

Runs in its own virtualenv (Splink is not a dependency of Seedling):

    python -m venv var/bench-venv && var/bench-venv/bin/pip install -r bench/requirements-splink.txt
    var/bench-venv/bin/python bench/quality/splink_run.py records.csv result.json [--supervised]

Configured the way the Splink documentation sets up a person-deduplication job, with the same
information our scorer gets: the names as characters and as pinyin (Splink cannot derive pinyin, so
the CSV carries it), birth date with a level for month and day swapped and one within two months,
sex, identity number by edit distance, village / township / county, and each parent's name; term
frequency adjustments on the names. Training: the prior from deterministic rules, u by random
sampling, m by expectation maximisation (or, with --supervised, m from the true clusters: Splink
then gets the labels our weights were estimated from). Prediction uses the same blocking keys as
registry.linkage.blocking. The JSON result has the wall time of training + prediction, and
precision, recall and F1 at every threshold (the best one is Splink's figure).
"""

import argparse
import json
import logging
import time

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def _name_levels(chars: str, py: str, tf: bool) -> list:
    exact = cll.ExactMatchLevel(chars)
    if tf:
        exact = exact.configure(tf_adjustment_column=chars)
    return [
        cll.NullLevel(chars),
        exact,
        cll.ExactMatchLevel(py).configure(label_for_charts="same pinyin"),
        cll.DamerauLevenshteinLevel(chars, 1),
        cll.JaroWinklerLevel(py, 0.9),
        cll.ElseLevel(),
    ]


def settings() -> SettingsCreator:
    swapped = cll.CustomLevel(
        "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
        "AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) "
        "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)",
        label_for_charts="month and day swapped",
    )
    near = cll.CustomLevel(
        "abs(date_diff('day', try_cast(birth_date_l AS DATE), try_cast(birth_date_r AS DATE))) <= 62",
        label_for_charts="within two months",
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("id_number"),
            block_on("full_py", "birth_date"),
            block_on("full_py", "county", "birth_year"),
            block_on("full_py", "county", "birth_md"),
            block_on("county", "birth_date"),
            block_on("full_py", "county", "father"),
            block_on("full_py", "county", "mother"),
        ],
        comparisons=[
            cl.CustomComparison(_name_levels("surname", "surname_py", True), output_column_name="surname"),
            cl.CustomComparison(_name_levels("given", "given_py", True), output_column_name="given"),
            cl.CustomComparison(
                [
                    cll.NullLevel("birth_date"),
                    cll.ExactMatchLevel("birth_date"),
                    swapped,
                    cll.DamerauLevenshteinLevel("birth_date", 1),
                    near,
                    cll.ElseLevel(),
                ],
                output_column_name="birth_date",
            ),
            cl.ExactMatch("sex"),
            cl.CustomComparison(
                [
                    cll.NullLevel("id_number"),
                    cll.ExactMatchLevel("id_number"),
                    cll.DamerauLevenshteinLevel("id_number", 1),
                    cll.DamerauLevenshteinLevel("id_number", 2),
                    cll.ElseLevel(),
                ],
                output_column_name="id_number",
            ),
            cl.CustomComparison(
                [
                    cll.NullLevel("village"),
                    cll.ExactMatchLevel("village"),
                    cll.ExactMatchLevel("township"),
                    cll.ExactMatchLevel("county"),
                    cll.ElseLevel(),
                ],
                output_column_name="area",
            ),
            cl.CustomComparison(_name_levels("father", "father_py", True), output_column_name="father"),
            cl.CustomComparison(_name_levels("mother", "mother_py", True), output_column_name="mother"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run(records: str, supervised: bool) -> tuple[duckdb.DuckDBPyConnection, str, dict]:
    con = duckdb.connect()
    con.execute("CREATE TABLE records AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [records])
    con.execute("UPDATE records SET " + ", ".join(f"{c} = NULLIF({c}, '')" for c in _COLUMNS))  # noqa: S608 -- column names only
    timings = {}
    start = time.monotonic()
    db_api = DuckDBAPI(connection=con)
    table = db_api.register("records")
    linker = Linker(table, settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("id_number"), block_on("name", "birth_date", "village")], recall=0.7
    )
    timings["prior_seconds"] = round(time.monotonic() - start, 1)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    timings["u_seconds"] = round(time.monotonic() - start, 1)
    if supervised:
        linker.training.estimate_m_from_label_column("cluster")
    else:
        # Names are trained on pairs blocked by date and place, the rest on pairs blocked by name.
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("county", "birth_date"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("full_py", "county"))
    timings["train_seconds"] = round(time.monotonic() - start, 1)
    predictions = linker.inference.predict(threshold_match_weight=-15)
    timings["seconds"] = round(time.monotonic() - start, 1)
    return con, predictions.physical_name, timings


_COLUMNS = (
    "name", "surname", "given", "full_py", "surname_py", "given_py", "birth_date", "birth_year",
    "birth_md", "sex", "id_number", "village", "township", "county", "father", "mother", "father_py",
    "mother_py",
)  # fmt: skip


def curve(con, predictions: str) -> dict:
    """Precision, recall and F1 at every match weight, best first, computed inside DuckDB."""
    true_pairs = con.execute(
        "SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM records GROUP BY cluster)"
    ).fetchone()[0]
    rows = con.execute(
        f"""
        WITH scored AS (
            SELECT p.match_weight AS w, (l.cluster = r.cluster)::INT AS hit
            FROM {predictions} p
            JOIN records l ON l.unique_id = p.unique_id_l
            JOIN records r ON r.unique_id = p.unique_id_r
        ), steps AS (
            SELECT w, count(*) AS n, sum(hit) AS hits FROM scored GROUP BY w
        )
        SELECT w, sum(n) OVER (ORDER BY w DESC) AS predicted, sum(hits) OVER (ORDER BY w DESC) AS correct
        FROM steps ORDER BY w DESC
        """  # noqa: S608 -- table names from Splink
    ).fetchall()
    points = []
    for weight, predicted, correct in rows:
        p = correct / predicted if predicted else 1.0
        r = correct / true_pairs if true_pairs else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        points.append({"threshold": round(weight, 3), "predicted": int(predicted), "correct": int(correct),
                       "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)})  # fmt: skip
    best = max(points, key=lambda q: q["f1"]) if points else None
    if best:
        best["error"] = round(1 - best["f1"], 4)
    candidates = con.execute(f"SELECT count(*) FROM {predictions}").fetchone()[0]  # noqa: S608
    return {"true": int(true_pairs), "candidates": int(candidates), "best": best,
            "curve": points[:: max(1, len(points) // 200)]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("records")
    parser.add_argument("result")
    parser.add_argument("--supervised", action="store_true")
    args = parser.parse_args()
    import splink

    con, predictions, timings = run(args.records, args.supervised)
    result = {"splink": splink.__version__, "duckdb": duckdb.__version__, "supervised": args.supervised,
              **timings, **curve(con, predictions)}  # fmt: skip
    with open(args.result, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)


if __name__ == "__main__":
    main()
