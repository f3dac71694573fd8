"""Markup wherever it is: HTML stored in an SQL dump, a JSON, CSV or PHP export or a text file, read by tag density;
Markdown task boxes, blockquotes, emphasis and stray HTML read as structure. Every document here is invented for
these tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.readers import read_bytes
from pipeline.readers.embedded import POST_START, html_evidence

# ---- documents ------------------------------------------------------------------------------------------------

MYSQL_DUMP = r"""-- MySQL dump 10.19  Distrib 10.11.6-MariaDB
--
-- Table structure for table `wiki_pages`
--
DROP TABLE IF EXISTS `wiki_pages`;
CREATE TABLE `wiki_pages` (
  `page_id` int(11) NOT NULL AUTO_INCREMENT,
  `alias` varchar(80) NOT NULL,
  `title` varchar(255) NOT NULL,
  `content` longtext DEFAULT NULL,
  `created` datetime DEFAULT NULL,
  PRIMARY KEY (`page_id`),
  KEY `alias` (`alias`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `wiki_pages` WRITE;
INSERT INTO `wiki_pages` VALUES (11,'operator-kotelnoj','Оператор котельной','<h2>Должностная инструкция оператора котельной</h2>\r\n<p style=\"margin-left: 20px;\">1. Оператор котельной подчиняется начальнику котельной.</p>\r\n<p>2. Оператор обязан:</p>\r\n<ol>\r\n<li>следить за давлением в котлах по показаниям \"манометров\";</li>\r\n<li>вести журнал смены ООО&nbsp;&laquo;Теплый дом&raquo;.</li>\r\n</ol>\r\n<p>3. Оператор котельной несет ответственность за аварии, допущенные по его вине.</p>','2024-03-01 09:00:00'),(12,'sadovnik','Садовник','<p>Садовник подчиняется заведующему хозяйством.</p>\r\n<p><strong>Обязанности:</strong></p>\r\n<ul><li>поливать клумбы и газоны;</li><li>обрезать кусты дважды в сезон;</li><li>подкармливать розы сорта &laquo;Д\'Арвиль&raquo;.</li></ul>','2024-03-02 10:30:00');
UNLOCK TABLES;
"""

POSTGRES_COPY = (
    "--\n-- PostgreSQL database dump\n--\nSET standard_conforming_strings = on;\n\n"
    "COPY public.articles (id, heading, body_html, published) FROM stdin;\n"
    "1\tИнструкция кладовщика\t<p>Кладовщик принимает товар по накладным.</p>\\n"
    "<ol><li>проверяет упаковку;</li><li>сверяет количество с накладной.</li></ol>\tt\n"
    "\\.\n\n"
    "INSERT INTO public.tags (id, name) VALUES (1, 'склад'), (2, 'приемка');\n"
)

POSTGRES_INSERT = (
    "-- PostgreSQL database dump\n"
    "INSERT INTO public.pages (id, title, body) VALUES (4, 'Уборщица', "
    "'<p>Уборщица моет полы в кабинетах с 7:00 до 9:00.</p><p>Путь к графику: C:\\графики\\уборка.xlsx</p>"
    "<ul><li>выносит мусор из корзин;</li><li>сообщает завхозу о поломках ''на месте''.</li></ul>');\n"
)

JSON_POSTS = [
    {"id": 31, "date": "2024-05-04T10:00:00", "slug": "laborant",
     "title": {"rendered": "Лаборант химического анализа"},
     "content": {"rendered": "<p class=\"lead\">Лаборант подчиняется заведующему лабораторией.</p>\n"
                             "<h3>Обязанности</h3>\n<ul>\n<li>готовит растворы &#171;по прописи&#187;;</li>\n"
                             "<li>ведет журнал проб \U0001F4CC ежедневно.</li>\n</ul>"}},
    {"id": 32, "date": "2024-05-05T11:00:00", "slug": "pustaya", "title": {"rendered": "Черновик"},
     "content": {"rendered": ""}},
]

CSV_EXPORT = (
    "id;title;body;updated\n"
    "5;Библиотекарь;\"<p class=\"\"lead\"\">Библиотекарь подчиняется заведующему библиотекой.</p>\n"
    "<ul>\n<li>выдает книги читателям;</li>\n<li>ведет учет фонда.</li>\n</ul>\";2023-09-01\n"
)

PHP_ARRAY = """<?php
// Тексты страниц раздела «Персонал»
return [
    'mechanic' => [
        'title' => 'Должностная инструкция механика гаража',
        'updated' => '2024-02-12',
        'html' => '<h3>1. Обязанности</h3>' .
            '<p>Механик гаража проверяет техническое состояние автомобилей перед выездом.</p>' .
            "<ul>\\n<li>ведет журнал ремонтов;</li>\\n<li>заказывает запчасти у поставщиков, в т.ч. \\"под заказ\\".</li>\\n</ul>",
    ],
];
"""

TEXT_OF_HTML = """Должностная инструкция лаборанта
<p>Лаборант выполняет анализы проб воды по утвержденным методикам.</p>
<p>Лаборант обязан:</p>
<ul>
<li>готовить реактивы;</li>
<li>вести журнал анализов.</li>
</ul>
"""

# a title column beside an author's name; the same post stored again as a revision
REVISIONS_DUMP = r"""CREATE TABLE `site_pages` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `author_name` varchar(80) NOT NULL,
  `body` longtext NOT NULL,
  `title` text NOT NULL,
  `kind` varchar(20) NOT NULL DEFAULT 'page',
  PRIMARY KEY (`id`)
);
INSERT INTO `site_pages` VALUES (5,'Кузьмина О.П.','<p>Сторож охраняет территорию базы отдыха.</p>
<p>Сторож обходит склады каждые два часа.</p>','Сторож базы отдыха','page'),(6,'Кузьмина О.П.','<p>Сторож охраняет территорию базы отдыха.</p>
<p>Сторож обходит склады каждые два часа.</p>','Сторож базы отдыха','revision');
"""

PHP_HEREDOC = """<?php
$title = "Должностная инструкция дворника";
$body = <<<HTML
<p>Дворник убирает территорию двора.</p>
<ul><li>чистит снег;</li><li>посыпает дорожки песком.</li></ul>
HTML;
"""

BOT_MESSAGES = {
    "title": "Кассир",
    "text": "<b>Кассир обязан:</b>\n— пробивать чеки;\n— пересчитывать кассу в конце смены.\n"
            "<i>За недостачу кассир несет <u>материальную</u> ответственность.</i>",
}

MARKDOWN = """# Должностная инструкция оператора линии розлива

> Документ хранится в вики цеха.
> > Редакция для второй смены.

## Обязанности

- [ ] Проверяет **чистоту** оборудования перед сменой.
- [x] Ведет *журнал* розлива.
* [X] Сообщает мастеру о простоях__.
  - [ ] Записывает причину простоя в журнал.
1. [ ] Настраивает дозатор по _технологической карте_.

> **Важно:** оператор не запускает линию без __инструктажа__.

Оператор соблюдает график смен.<br>Оператор носит спецодежду.<br/>
<p>Оператор сдает смену <b>сменщику</b> &laquo;под подпись&raquo;.</p>
<ul>
<li>моет дозаторы;</li>
<li>сдает пробы в лабораторию.</li>
</ul>

Подпись: ________ (Ф.И.О.) «__» ______ 20__ г.
Файл настроек: line_2_config, 2 * 3 = 6, ~~устаревший пункт~~ убран, 5\\*.
"""


def _blocks(name: str, content: str | bytes) -> tuple[str, str, list[tuple]]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    doc = read_bytes(name, data)
    for b in doc.blocks:
        assert doc.text[b.start:b.stop] == b.text  # offsets hold in the text the reader gives
    return doc.format, doc.reader, [(b.number, b.text, b.heading) for b in doc.blocks]


EMBEDDED = {
    "MySQL dump: two posts, the second with its title column as a heading, \\r\\n \\' \\\" and entities": (
        "pages.sql", MYSQL_DUMP, "html-in-sql",
        [("", "Должностная инструкция оператора котельной", 2),
         ("", "1. Оператор котельной подчиняется начальнику котельной.", 0),
         ("", "2. Оператор обязан:", 0),
         ("1.", "следить за давлением в котлах по показаниям \"манометров\";", 0),
         ("2.", "вести журнал смены ООО «Теплый дом».", 0),
         ("", "3. Оператор котельной несет ответственность за аварии, допущенные по его вине.", 0),
         ("", "Садовник", 1),
         ("", "Садовник подчиняется заведующему хозяйством.", 0),
         ("", "Обязанности:", 0),
         ("•", "поливать клумбы и газоны;", 0),
         ("•", "обрезать кусты дважды в сезон;", 0),
         ("•", "подкармливать розы сорта «Д'Арвиль».", 0)],
    ),
    "PostgreSQL COPY block: tab-separated fields, \\n escapes, a heading column": (
        "dump.sql", POSTGRES_COPY, "html-in-sql",
        [("", "Инструкция кладовщика", 1),
         ("", "Кладовщик принимает товар по накладным.", 0),
         ("1.", "проверяет упаковку;", 0),
         ("2.", "сверяет количество с накладной.", 0)],
    ),
    "PostgreSQL INSERT: '' doubled, backslashes are text": (
        "pages.sql", POSTGRES_INSERT, "html-in-sql",
        [("", "Уборщица", 1),
         ("", "Уборщица моет полы в кабинетах с 7:00 до 9:00.", 0),
         ("", "Путь к графику: C:\\графики\\уборка.xlsx", 0),
         ("•", "выносит мусор из корзин;", 0),
         ("•", "сообщает завхозу о поломках 'на месте'.", 0)],
    ),
    "JSON export: \\uXXXX escapes, a nested title, a post with no body left out": (
        "posts.json", json.dumps(JSON_POSTS, ensure_ascii=True), "html-in-json",
        [("", "Лаборант химического анализа", 1),
         ("", "Лаборант подчиняется заведующему лабораторией.", 0),
         ("", "Обязанности", 3),
         ("•", "готовит растворы «по прописи»;", 0),
         ("•", "ведет журнал проб \U0001F4CC ежедневно.", 0)],
    ),
    "CSV export: doubled quotes and line breaks inside an HTML cell, a header row": (
        "export.csv", CSV_EXPORT, "html-in-csv",
        [("", "Библиотекарь", 1),
         ("", "Библиотекарь подчиняется заведующему библиотекой.", 0),
         ("•", "выдает книги читателям;", 0),
         ("•", "ведет учет фонда.", 0)],
    ),
    "PHP array: a title key, HTML joined from three literals of both quotings": (
        "pages.php", PHP_ARRAY, "html-in-php",
        [("", "Должностная инструкция механика гаража", 1),
         ("", "1. Обязанности", 3),
         ("", "Механик гаража проверяет техническое состояние автомобилей перед выездом.", 0),
         ("•", "ведет журнал ремонтов;", 0),
         ("•", "заказывает запчасти у поставщиков, в т.ч. \"под заказ\".", 0)],
    ),
    "a title column preferred to an author's name; a post stored twice read once": (
        "site.sql", REVISIONS_DUMP, "html-in-sql",
        [("", "Сторож базы отдыха", 1),
         ("", "Сторож охраняет территорию базы отдыха.", 0),
         ("", "Сторож обходит склады каждые два часа.", 0)],
    ),
    "PHP heredoc and variables as field names": (
        "dvornik.php", PHP_HEREDOC, "html-in-php",
        [("", "Должностная инструкция дворника", 1),
         ("", "Дворник убирает территорию двора.", 0),
         ("•", "чистит снег;", 0),
         ("•", "посыпает дорожки песком.", 0)],
    ),
    "a text file that is HTML throughout without starting with a tag": (
        "laborant.txt", TEXT_OF_HTML, "html-in-text",
        [("", "Должностная инструкция лаборанта", 0),
         ("", "Лаборант выполняет анализы проб воды по утвержденным методикам.", 0),
         ("", "Лаборант обязан:", 0),
         ("•", "готовить реактивы;", 0),
         ("•", "вести журнал анализов.", 0)],
    ),
    "a bot's message in HTML parse mode: inline tags only, its line breaks kept": (
        "bot.json", json.dumps(BOT_MESSAGES, ensure_ascii=False), "html-in-json",
        [("", "Кассир", 1),
         ("", "Кассир обязан:", 0),
         ("", "— пробивать чеки;", 0),
         ("", "— пересчитывать кассу в конце смены.", 0),
         ("", "За недостачу кассир несет материальную ответственность.", 0)],
    ),
}


@pytest.mark.parametrize("name, content, reader, expected", list(EMBEDDED.values()), ids=list(EMBEDDED))
def test_html_inside_a_container_reads_as_html(name, content, reader, expected):
    fmt, got_reader, blocks = _blocks(name, content)
    assert (fmt, got_reader) == ("html", reader)
    assert blocks == expected


def test_each_post_starts_a_part_of_its_own():
    doc = read_bytes("pages.sql", MYSQL_DUMP.encode("utf-8"))
    starts = [(b.style, b.text) for b in doc.blocks if b.style.startswith(POST_START)]
    assert starts == [("post:h2", "Должностная инструкция оператора котельной"), ("post:field:title", "Садовник")]


NOT_EMBEDDED = {
    "a text naming an SQL statement": (
        "dba.txt", "Администратор баз данных пишет запросы INSERT INTO и SELECT.\nВедет резервное копирование.\n",
        "text", ["Администратор баз данных пишет запросы INSERT INTO и SELECT.", "Ведет резервное копирование."]),
    "placeholders in angle brackets": (
        "blank.txt", "Должностная инструкция <наименование должности>\nПодчиняется <должность руководителя>.\n"
                     "Работает в <название отдела> и <название филиала>.\n",
        "text", ["Должностная инструкция <наименование должности>", "Подчиняется <должность руководителя>.",
                 "Работает в <название отдела> и <название филиала>."]),
    "a dump without HTML": (
        "plain.sql", "INSERT INTO `staff` VALUES (1,'Иванов','кассир'),(2,'Петров','грузчик');\n",
        "text", ["INSERT INTO `staff` VALUES (1,'Иванов','кассир'),(2,'Петров','грузчик');"]),
    "two inline tags in a JSON string: the line loses its tags, the file stays text": (
        "hints.json", json.dumps({"hint": "Нажмите <b>Далее</b>, чтобы продолжить заполнение анкеты."},
                                 ensure_ascii=False),
        "text+html", ['{"hint": "Нажмите Далее, чтобы продолжить заполнение анкеты."}']),
}


@pytest.mark.parametrize("name, content, reader, texts", list(NOT_EMBEDDED.values()), ids=list(NOT_EMBEDDED))
def test_text_without_dense_html_stays_text(name, content, reader, texts):
    assert _blocks(name, content)[:2] == ("txt", reader)
    assert [text for _, text, _ in _blocks(name, content)[2]] == texts


@pytest.mark.parametrize("text, tags, is_html", [
    ("<p>Ведет учет.</p><p>Сдает отчеты.</p>", 4, True),
    ("Ведет учет.<br>Сдает отчеты.<br>Готовит сводки.<br>", 3, True),
    ("<p>Ведет учет.<p>Сдает отчеты.<p>Готовит сводки.", 3, False),  # nothing closed, no line breaks
    ("Оклад <b>30 000</b> руб.", 2, False),
    ("<script>x()</script><head><meta></head>", 0, False),  # not a post's content
    ("<p>" + "Ведет учет основных средств и материалов. " * 200 + "</p><br>", 3, False),  # one tag in 3 KB
])
def test_html_evidence(text, tags, is_html):
    evidence = html_evidence(text)
    assert (evidence.tags, evidence.is_html) == (tags, is_html)


# ---- Markdown ---------------------------------------------------------------------------------------------------

MARKDOWN_BLOCKS = [
    ("", "# Должностная инструкция оператора линии розлива"),
    ("", "Документ хранится в вики цеха."),
    ("", "Редакция для второй смены."),
    ("", "## Обязанности"),
    ("☐", "Проверяет **чистоту** оборудования перед сменой."),
    ("☑", "Ведет журнал розлива."),
    ("☑", "Сообщает мастеру о простоях__."),
    ("☐", "Записывает причину простоя в журнал."),
    ("", "1. Настраивает дозатор по технологической карте."),
    ("", "**Важно:** оператор не запускает линию без **инструктажа**."),
    ("", "Оператор соблюдает график смен."),
    ("", "Оператор носит спецодежду."),
    ("", "Оператор сдает смену сменщику «под подпись»."),
    ("•", "моет дозаторы;"),
    ("•", "сдает пробы в лабораторию."),
    ("", "Подпись: ________ (Ф.И.О.) «__» ______ 20__ г."),
    ("", "Файл настроек: line_2_config, 2 * 3 = 6, устаревший пункт убран, 5*."),
]


def test_markdown_markup_is_structure_not_text():
    fmt, reader, blocks = _blocks("oper.md", MARKDOWN)
    assert (fmt, reader) == ("txt", "markdown+html")
    assert [(number, text) for number, text, _ in blocks] == MARKDOWN_BLOCKS


def test_markdown_keeps_its_lines_and_indentation():
    doc = read_bytes("oper.md", MARKDOWN.encode("utf-8"))
    lines = doc.text.split("\n")
    assert lines[:4] == ["# Должностная инструкция оператора линии розлива", "", "Документ хранится в вики цеха.",
                         "Редакция для второй смены."]
    nested = next(b for b in doc.blocks if b.text.startswith("Записывает"))
    assert nested.level == 2 and doc.text[nested.start - 2:nested.start] == "  "


def test_a_markdown_file_of_html_lines_keeps_its_markdown():
    text = "# Должностная инструкция грузчика\n\n<p>Грузчик разгружает машины.</p>\n<ul>\n<li>носит *тяжелые* ящики;</li>\n" \
           "<li>укладывает товар на поддоны.</li>\n</ul>\n"
    assert _blocks("gruzchik.md", text) == ("txt", "markdown+html", [
        ("", "# Должностная инструкция грузчика", 0), ("", "Грузчик разгружает машины.", 0),
        ("•", "носит тяжелые ящики;", 0), ("•", "укладывает товар на поддоны.", 0)])


def test_a_text_without_markup_is_untouched():
    text = "Должностная инструкция сторожа\n\n1. Сторож охраняет склад.\n- обходит территорию;\n"
    doc = read_bytes("storozh.txt", text.encode("utf-8"))
    assert (doc.reader, doc.text) == ("text", text)


# ---- end to end -------------------------------------------------------------------------------------------------

# file name -> clause texts that must be found (and no other text of the container)
EXPECTED_CLAUSES = {
    "pages.sql": {
        "Оператор котельной подчиняется начальнику котельной.",
        "следить за давлением в котлах по показаниям \"манометров\";",
        "вести журнал смены ООО «Теплый дом».",
        "Оператор котельной несет ответственность за аварии, допущенные по его вине.",
        "поливать клумбы и газоны;",
        "обрезать кусты дважды в сезон;",
        "подкармливать розы сорта «Д'Арвиль».",
    },
    "posts.json": {"готовит растворы «по прописи»;", "ведет журнал проб \U0001F4CC ежедневно."},
    "export.csv": {"выдает книги читателям;", "ведет учет фонда."},
    "pages.php": {"Механик гаража проверяет техническое состояние автомобилей перед выездом.",
                  "ведет журнал ремонтов;", "заказывает запчасти у поставщиков, в т.ч. \"под заказ\"."},
    "oper.md": {"Проверяет чистоту оборудования перед сменой.", "Ведет журнал розлива.",
                "Записывает причину простоя в журнал.", "Настраивает дозатор по технологической карте.",
                "Оператор соблюдает график смен.", "Оператор носит спецодежду.",
                "Оператор сдает смену сменщику «под подпись»."},
}
# What a container holds besides its posts, and markup, never in a clause.
_RESIDUE = re.compile(r"INSERT|VALUES|\d{4}-\d\d-\d\d|operator-kotelnoj|sadovnik|laborant|'title'|\"id\"|"
                      r"<[a-z/]|&[a-z]+;|\\[nr\"']|\[[ xX]\]|\*\*|\*\w|(?<!\w)_\w|^>")


def test_extract_finds_the_clauses_of_markup_wherever_it_is(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "pages.sql").write_text(MYSQL_DUMP, encoding="utf-8")
    (folder / "posts.json").write_text(json.dumps(JSON_POSTS, ensure_ascii=True), encoding="utf-8")
    (folder / "export.csv").write_text(CSV_EXPORT, encoding="utf-8")
    (folder / "pages.php").write_text(PHP_ARRAY, encoding="utf-8")
    (folder / "oper.md").write_text(MARKDOWN, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out), "--classifier", "rules", "-q"]) == 0
    manifest = {row["source"]: row for row in map(json.loads, (out / "manifest.jsonl").read_text().splitlines())}
    assert {name: row["reader"] for name, row in manifest.items()} == {
        "pages.sql": "html-in-sql", "posts.json": "html-in-json", "export.csv": "html-in-csv",
        "pages.php": "html-in-php", "oper.md": "markdown+html"}
    clauses = [json.loads(line) for line in (out / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    found: dict[str, set[str]] = {}
    for clause in clauses:
        found.setdefault(clause["source"], set()).add(clause["text"])
        assert not _RESIDUE.search(clause["text"]), clause
    for name, expected in EXPECTED_CLAUSES.items():
        assert expected <= found.get(name, set()), (name, expected - found.get(name, set()))
    # the posts' clauses in the dump's order: the boiler operator's, then the gardener's
    dump = [c["text"] for c in clauses if c["source"] == "pages.sql"]
    assert dump.index("вести журнал смены ООО «Теплый дом».") < dump.index("поливать клумбы и газоны;")
