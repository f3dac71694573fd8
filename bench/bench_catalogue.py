"""Catalogue build time and peak memory on generated variant clauses (10k, 100k, 1M).

Each size runs in a fresh process (peak RSS is per process, build only: the statistics tables
that follow are timed separately, ``stats s``). Clauses are generated from topics
(verb × object × complement, ~1 topic per 10 clauses, so distinct provisions grow with the corpus) and
variants of each topic: position name as subject, an extra qualifier, `РФ` / `Российской Федерации`,
word order, `ё`, numbering and punctuation, a filler word. Run:

    .venv/bin/python bench/bench_catalogue.py                # 10k and 100k
    .venv/bin/python bench/bench_catalogue.py 10000 100000 1000000

The figures go to ``bench/catalogue_results.json`` (a size measured again replaces its earlier entry;
``bench/results.json`` is the pipeline benchmark's). ``candidates_per_unit`` is how many anchors a new
unit is compared with: it grows with the density of near neighbours (the topics of the generator fill
up towards 1M clauses), and ``candidates.BUCKET_CAP`` (variants) and ``provisions.BLOCK_CAP`` (provisions) bound
it.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "catalogue_results.json"

VERBS = ["ведет учет", "осуществляет контроль", "составляет отчеты", "обеспечивает хранение", "проверяет",
         "организует проведение", "согласовывает", "подготавливает проекты", "анализирует", "систематизирует",
         "регистрирует", "готовит справки", "оформляет", "контролирует исполнение", "участвует в разработке",
         "разрабатывает", "принимает", "передает", "рассматривает", "изучает", "обобщает", "планирует",
         "координирует", "внедряет", "сопровождает", "актуализирует", "визирует", "архивирует", "учитывает",
         "распределяет", "собирает сведения", "сверяет", "формирует", "направляет", "утверждает", "заполняет",
         "печатает", "копирует", "сканирует", "фиксирует"]
OBJECTS = ["кассовых операций", "договоров поставки", "первичных документов", "налоговых деклараций",
           "товарно-материальных ценностей", "основных средств", "заработной платы", "авансовых отчетов",
           "командировочных расходов", "входящей корреспонденции", "исходящих писем", "приказов по личному составу",
           "трудовых книжек", "графиков отпусков", "табелей учета рабочего времени", "счетов-фактур",
           "платежных поручений", "банковских выписок", "актов сверки", "складских остатков", "заявок клиентов",
           "претензий покупателей", "коммерческих предложений", "прайс-листов", "технических заданий",
           "проектной документации", "сметной документации", "журналов инструктажа", "путевых листов",
           "накладных", "доверенностей", "архивных дел", "учредительных документов", "кредитных договоров",
           "инвентаризационных описей", "материальных отчетов", "нематериальных активов", "дебиторской задолженности",
           "кредиторской задолженности", "финансовых планов", "бюджетов подразделений", "штатного расписания",
           "должностных инструкций", "локальных актов", "протоколов совещаний", "планов закупок",
           "реестров платежей", "кассовых ордеров", "чековых книжек", "отчетов агентов", "лицензий",
           "сертификатов", "паспортов оборудования", "графиков ремонта", "заявок на закупку", "спецификаций",
           "гарантийных писем", "исполнительных листов", "больничных листов", "пропусков"]
COMPLEMENTS = ["в соответствии с законодательством РФ", "в установленные сроки", "по участку работы",
               "по поручению руководителя", "в электронном виде", "на бумажных носителях", "по подразделениям",
               "за отчетный период", "с использованием 1С", "для руководства", "для налоговых органов",
               "для банка", "для аудиторов", "по запросам контрагентов", "по филиалам", "в разрезе контрагентов",
               "в разрезе проектов", "по объектам строительства", "по складам", "по договорам аренды",
               "в пределах компетенции", "совместно с юристом", "совместно с экономистом", "по валютным операциям",
               "по экспортным поставкам", "по импортным поставкам", "по обособленным подразделениям",
               "по кредитам банков", "по займам", "по лизингу", "по целевым программам", "по грантам",
               "по государственным контрактам", "по муниципальным контрактам", "по тендерам", "по претензиям",
               "по судебным делам", "по страховым случаям", "по охране труда", "по пожарной безопасности"]
POSITIONS = ["бухгалтер", "главный бухгалтер", "кассир", "экономист", "менеджер по продажам", "секретарь",
             "кладовщик", "инженер", "юрисконсульт", "делопроизводитель", "специалист по кадрам", "оператор"]
SUBJECT = {"бухгалтер": "Бухгалтер", "главный бухгалтер": "Главный бухгалтер", "кассир": "Кассир",
           "экономист": "Экономист", "менеджер по продажам": "Менеджер по продажам", "секретарь": "Секретарь",
           "кладовщик": "Кладовщик", "инженер": "Инженер", "юрисконсульт": "Юрисконсульт",
           "делопроизводитель": "Делопроизводитель", "специалист по кадрам": "Специалист по кадрам",
           "оператор": "Оператор"}


def variant(rng: random.Random, topic: tuple[str, str, str], position: str) -> str:
    """One wording of a topic, as one instruction might write it."""
    verb, obj, comp = topic
    words = [verb, obj, comp]
    if rng.random() < 0.3:
        words[1] = obj + " организации"  # an extra qualifier
    if rng.random() < 0.3:
        words[2] = comp.replace("РФ", "Российской Федерации")
    if rng.random() < 0.2:
        words = [words[2], words[0], words[1]]  # word order
    text = " ".join(words)
    if rng.random() < 0.3:
        text = SUBJECT[position] + " " + text
    if rng.random() < 0.2:
        text = text.replace("е", "ё", 1)
    text = text[0].upper() + text[1:]
    number = rng.choice(["", "2.1. ", "3) ", "• ", "- "])
    return number + text + rng.choice([".", ";", ""])


def generate(n: int, seed: int = 1) -> tuple[list, dict]:
    from pipeline.records import Clause

    rng = random.Random(seed)
    topics = [(v, o, c) for v in VERBS for o in OBJECTS for c in COMPLEMENTS]
    rng.shuffle(topics)
    topics = topics[: max(10, n // 10)]
    clauses, positions = [], {}
    per_instruction = 40
    for i in range(n):
        doc, instruction = divmod(i // per_instruction, 3)
        source = f"doc{doc:06d}.txt"
        position = POSITIONS[(doc * 3 + instruction) % len(POSITIONS)]
        positions[(source, instruction + 1)] = position
        # Zipf-like use: a few provisions are everywhere, most are rare.
        topic = topics[min(int(rng.paretovariate(1.2)) - 1, len(topics) - 1) if rng.random() < 0.5
                       else rng.randrange(len(topics))]
        label = "duty" if i % 5 else "right"
        text = variant(rng, topic, position)
        clauses.append(Clause(source=source, instruction=instruction + 1, number="", text=text, start=0,
                              stop=len(text), label=label))
    return clauses, positions


class _Counting:
    """Counts the anchors each new unit (or variant, at the provision level) is compared with (wraps
    ``candidates._Index.query``, which both levels use)."""

    def __init__(self) -> None:
        from pipeline.catalogue import candidates

        self.queries = self.candidates = 0
        self.original = candidates._Index.query
        counter = self

        def query(index, keys):
            found = counter.original(index, keys)
            counter.queries += 1
            counter.candidates += len(found)
            return found

        candidates._Index.query = query

    def per_unit(self) -> float:
        return round(self.candidates / max(1, self.queries), 1)


def run_one(n: int, stats: bool = True) -> dict:
    from pipeline.catalogue import build

    clauses, positions = generate(n)
    counting = _Counting()
    start, cpu_start = time.perf_counter(), time.process_time()
    built, catalogue = build(clauses, positions)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "clauses": n, "distinct_texts": len({c.text for c in clauses}), "variant_keys": len(catalogue.keys),
        "variants": len(catalogue.variants), "canonical": len(catalogue), "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
        "us_per_clause": round(cpu / n * 1e6, 1), "peak_rss_mb": round(peak_mb),
        "candidates_per_unit": counting.per_unit(),
    }
    if stats:
        from pipeline.catalogue import stats as tables

        start = time.perf_counter()
        tables.frames(tables.clause_frame(built, positions, catalogue=catalogue))
        out["stats_seconds"] = round(time.perf_counter() - start, 1)
    return out


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_one(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or [10_000, 100_000]
    # CPU seconds are what one core spends; wall seconds also count waiting for a busy machine.
    print(f"{'clauses':>9} {'texts':>8} {'keys':>8} {'variants':>8} {'canonical':>9} {'wall s':>8} {'cpu s':>8} "
          f"{'cpu µs/cl':>9} {'peak MB':>8} {'cand/unit':>9} {'stats s':>8}")
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['clauses']:>9} {r['distinct_texts']:>8} {r['variant_keys']:>8} {r.get('variants', '-'):>8} {r['canonical']:>9} "
              f"{r['seconds']:>8} {r['cpu_seconds']:>8} {r['us_per_clause']:>9} {r['peak_rss_mb']:>8} "
              f"{r['candidates_per_unit']:>9} {r.get('stats_seconds', '-'):>8}",
              flush=True)
        record(r)


def record(result: dict) -> None:
    """Add one size's figures to RESULTS (replacing an earlier run of that size), with commit and load."""
    import os
    import platform

    data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {"sizes": []}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    entry = dict(result, commit=commit.stdout.strip(), python=platform.python_version(),
                 load_average=[round(x, 1) for x in os.getloadavg()],
                 measured=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    data["sizes"] = sorted([s for s in data["sizes"] if s["clauses"] != result["clauses"]] + [entry],
                           key=lambda s: s["clauses"])
    RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main(sys.argv[1:])
