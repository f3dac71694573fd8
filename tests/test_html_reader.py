"""The HTML reader on small hand-written pages (job-description-like text written for these tests)."""

from __future__ import annotations

import pytest

from pipeline.readers import ReadError, read
from pipeline.readers.html import read_html


def blocks(markup: str) -> list[tuple]:
    """(number, text) of each block, with level / heading / table only where they are set."""
    doc = read_html("t.html", markup.encode("utf-8"))
    out = []
    for b in doc.blocks:
        row = (b.number, b.text)
        if b.level:
            row += (f"level={b.level}",)
        if b.heading:
            row += (f"h{b.heading}",)
        if b.table is not None:
            row += (b.table,)
        out.append(row)
    return out


def check_offsets(doc) -> None:
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    for b in doc.blocks:
        assert doc.text[b.start:b.stop] == b.text


CASES = {
    "paragraphs and div text": (
        "<p>Бухгалтер подчиняется главному бухгалтеру.</p><div>Ведет учет кассы.</div>",
        [("", "Бухгалтер подчиняется главному бухгалтеру."), ("", "Ведет учет кассы.")],
    ),
    "inline markup stays in the paragraph": (
        "<p>Составляет <b>налоговую</b> <i>отчетность</i> и <a href='#'>сдает</a> ее.</p>",
        [("", "Составляет налоговую отчетность и сдает ее.")],
    ),
    "runs of white space fold to one space": (
        "<p>  Ведет\n   учет\t\tосновных\r\n средств.  </p>",
        [("", "Ведет учет основных средств.")],
    ),
    "entities decoded": (
        "<p>&laquo;Кассир&raquo;&nbsp;&mdash; должность &#8470;&nbsp;5; оклад &lt;&gt; &amp; "
        "бух&shy;галтер</p>",
        [("", "«Кассир» — должность № 5; оклад <> & бухгалтер")],
    ),
    "br splits a paragraph into lines": (
        "<p>УТВЕРЖДАЮ<br>Генеральный директор<br/>________ /Иванов И.И./</p>",
        [("", "УТВЕРЖДАЮ"), ("", "Генеральный директор"), ("", "________ /Иванов И.И./")],
    ),
    "empty lines between br are skipped": (
        "<p>Права<br><br>  <br>Вправе запрашивать документы.</p>",
        [("", "Права"), ("", "Вправе запрашивать документы.")],
    ),
    "headings": (
        "<h1>Должностная инструкция кассира</h1><h3>Общие положения</h3><p>Текст.</p>",
        [("", "Должностная инструкция кассира", "h1"), ("", "Общие положения", "h3"), ("", "Текст.")],
    ),
    "ordered list": (
        "<ol><li>Принимает деньги.</li><li>Выдает деньги.</li></ol>",
        [("1.", "Принимает деньги.", "level=1"), ("2.", "Выдает деньги.", "level=1")],
    ),
    "ordered list with start and value": (
        "<ol start='4'><li>Четвертый пункт.<li value='10'>Десятый пункт.<li>Одиннадцатый пункт.</ol>",
        [("4.", "Четвертый пункт.", "level=1"), ("10.", "Десятый пункт.", "level=1"),
         ("11.", "Одиннадцатый пункт.", "level=1")],
    ),
    "lettered and roman lists": (
        "<ol type='a'><li>первое;</li><li>второе.</li></ol>"
        "<ol type='I' start='3'><li>Права</li></ol>"
        "<ol style='list-style-type: lower-russian'><li>по-русски;</li><li>еще.</li></ol>",
        [("a)", "первое;", "level=1"), ("b)", "второе.", "level=1"), ("III.", "Права", "level=1"),
         ("а)", "по-русски;", "level=1"), ("б)", "еще.", "level=1")],
    ),
    "bullets and nested lists": (
        "<ul><li>Должен знать:<ul><li>основы учета;</li><li>налоги;</li></ul></li>"
        "<li>Должен уметь работать с 1С.</li></ul>",
        [("•", "Должен знать:", "level=1"), ("•", "основы учета;", "level=2"), ("•", "налоги;", "level=2"),
         ("•", "Должен уметь работать с 1С.", "level=1")],
    ),
    "numbered list nested in numbered list": (
        "<ol><li>Обязанности:<ol><li>ведет учет;</li><li>сдает отчеты.</li></ol></li><li>Права.</li></ol>",
        [("1.", "Обязанности:", "level=1"), ("1.", "ведет учет;", "level=2"), ("2.", "сдает отчеты.", "level=2"),
         ("2.", "Права.", "level=1")],
    ),
    "list without bullets": (
        "<ul style='list-style: none'><li>Первое.</li></ul>",
        [("", "Первое.", "level=1")],
    ),
    "the item number goes to the first paragraph inside the item": (
        "<ol><li><p>Ведет учет.</p><p>Продолжение пункта.</p></li></ol>",
        [("1.", "Ведет учет.", "level=1"), ("", "Продолжение пункта.", "level=1")],
    ),
    "br inside an item": (
        "<ol><li>Первая строка<br>вторая строка</li></ol>",
        [("1.", "Первая строка", "level=1"), ("", "вторая строка", "level=1")],
    ),
    "typed numbers stay in the text": (
        "<p>2.1. Ведет учет.</p>",
        [("", "2.1. Ведет учет.")],
    ),
    "table cells": (
        "<table><tr><th>Должность</th><th>Подчинение</th></tr>"
        "<tr><td colspan='2'>Бухгалтер</td><td>Директору<br>и главному бухгалтеру</td></tr></table>"
        "<table><tr><td><p>Вторая таблица</p></td></tr></table>",
        [("", "Должность", (0, 0, 0)), ("", "Подчинение", (0, 0, 1)), ("", "Бухгалтер", (0, 1, 0)),
         ("", "Директору", (0, 1, 2)), ("", "и главному бухгалтеру", (0, 1, 2)), ("", "Вторая таблица", (1, 0, 0))],
    ),
    "table with tbody": (
        "<table><tbody><tr><td>а</td><td>б</td></tr><tr><td>в</td></tr></tbody></table>",
        [("", "а", (0, 0, 0)), ("", "б", (0, 0, 1)), ("", "в", (0, 1, 0))],
    ),
    "blockquote and pre": (
        "<blockquote>Цитата из закона.</blockquote><pre>1.1. Первая строка\n  1.2.   Вторая   строка\n\n</pre>",
        [("", "Цитата из закона."), ("", "1.1. Первая строка"), ("", "1.2. Вторая строка")],
    ),
    "text around a block belongs to blocks of its own": (
        "<div>Перед<p>Внутри</p>после</div>",
        [("", "Перед"), ("", "Внутри"), ("", "после")],
    ),
    "page furniture dropped": (
        "<header><a href='/'>Кадровый портал</a></header><nav><ul><li>Главная</li></ul></nav>"
        "<script>var x = 'Должностная инструкция';</script><style>p {color: red}</style>"
        "<noscript>Включите JavaScript</noscript><aside>Популярное</aside>"
        "<form><input value='Поиск'><button>Найти</button> Поиск по сайту</form>"
        "<iframe src='x'>фрейм</iframe><svg><text>логотип</text></svg><!-- комментарий -->"
        "<p>Ведет учет.</p><footer>© 2024 Портал</footer>",
        [("", "Ведет учет.")],
    ),
    "hidden elements and ads dropped": (
        "<div style='display: none'>Скрытый текст</div><p hidden>Тоже скрыт</p>"
        "<div class='ad-slot'>Курсы бухгалтеров со скидкой</div><div id='yandex_rtb_R-A-1'>Реклама</div>"
        "<ins class='adsbygoogle'>Реклама Google</ins><div class='header-line'>Оставить</div>",
        [("", "Оставить")],
    ),
    "a promo banner inside an article is dropped": (
        "<p>2.4. Ведет учет.</p><div class='promo-block'>Курсы юристов со скидкой</div><p>2.5. Готовит отчеты.</p>"
        "<div class='banner'>Новые курсы для сотрудников</div>",
        [("", "2.4. Ведет учет."), ("", "2.5. Готовит отчеты.")],
    ),
    "a list of links to the page's own anchors is its table of contents": (
        "<p>Содержание</p><ul><li><a href='#a'>1. Кто утверждает</a></li><li><a href='#b'>2. Образец</a></li></ul>"
        "<ul><li><a href='/other/'>Инструкция кассира</a></li><li>Текст <a href='#a'>и ссылка</a></li></ul>",
        [("", "Содержание"), ("•", "Инструкция кассира", "level=1"), ("•", "Текст и ссылка", "level=1")],
    ),
    "tail text after a dropped element is kept": (
        "<p>Ведет <script>x()</script>учет.</p>",
        [("", "Ведет учет.")],
    ),
    "header inside an article is kept": (
        "<header>Сайт</header><article><header><h1>Должностная инструкция повара</h1></header>"
        "<p>Повар готовит блюда.</p><footer>Автор: редакция</footer></article>",
        [("", "Должностная инструкция повара", "h1"), ("", "Повар готовит блюда."), ("", "Автор: редакция")],
    ),
    "a form wrapping the whole page is kept": (
        "<body><form id='form1' action='page.aspx'><h2>Права</h2><ol><li>Запрашивать документы.</li></ol>"
        "</form></body>",
        [("", "Права", "h2"), ("1.", "Запрашивать документы.", "level=1")],
    ),
}


@pytest.mark.parametrize("markup, expected", CASES.values(), ids=CASES.keys())
def test_blocks(markup, expected):
    assert blocks(markup) == expected
    check_offsets(read_html("t.html", markup.encode("utf-8")))


@pytest.mark.parametrize("markup, paragraphs", [
    ("<p>Первая<br>вторая</p><p>Третья</p>", [0, 0, 1]),
    ("<div>Перед<p>Внутри</p>после</div>", [0, 1, 2]),
    ("<ol><li>Пункт<br>продолжение</li><li>Второй</li></ol><pre>а\nб</pre>", [0, 0, 1, 2, 2]),
])
def test_lines_split_by_br_share_a_paragraph(markup, paragraphs):
    assert [b.paragraph for b in read_html("t.html", markup.encode()).blocks] == paragraphs


ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <title>Должностная инструкция кладовщика — Кадровый портал</title>
  <script>window.dataLayer = []; function gtag(){dataLayer.push(arguments)}</script>
  <style>.menu { display: flex }</style>
</head>
<body>
  <header class="site-header">
    <div class="logo">Кадровый портал</div>
    <nav><ul><li><a href="/">Главная</a></li><li><a href="/docs">Образцы</a></li></ul></nav>
  </header>
  <div class="breadcrumbs-wrap">Главная » Образцы</div>
  <main>
    <article>
      <h1>Должностная инструкция кладовщика</h1>
      <p>Ниже приведен образец, который можно скачать бесплатно.</p>
      <div class="adv-block"><a href="/kurs">Курсы для кладовщиков — скидка 30%!</a></div>
      <h2>1. Общие положения</h2>
      <ol>
        <li>Кладовщик относится к категории рабочих.</li>
        <li>Кладовщик подчиняется заведующему складом.</li>
      </ol>
      <h2>2. Должностные обязанности</h2>
      <p>Кладовщик:</p>
      <ul>
        <li>принимает товар на склад;</li>
        <li>ведет учет складских операций&nbsp;&mdash; приход и&nbsp;расход;</li>
      </ul>
      <script>(adsbygoogle = window.adsbygoogle || []).push({});</script>
      <p>С инструкцией ознакомлен: ________</p>
    </article>
    <aside><h3>Читайте также</h3><ul><li>Инструкция грузчика</li></ul></aside>
  </main>
  <footer><p>© Кадровый портал</p></footer>
</body>
</html>
"""


def test_article_page_keeps_only_the_article():
    doc = read_html("kladovshchik.html", ARTICLE_PAGE.encode("utf-8"))
    assert [(b.number, b.text, b.heading) for b in doc.blocks] == [
        ("", "Главная » Образцы", 0),
        ("", "Должностная инструкция кладовщика", 1),
        ("", "Ниже приведен образец, который можно скачать бесплатно.", 0),
        ("", "1. Общие положения", 2),
        ("1.", "Кладовщик относится к категории рабочих.", 0),
        ("2.", "Кладовщик подчиняется заведующему складом.", 0),
        ("", "2. Должностные обязанности", 2),
        ("", "Кладовщик:", 0),
        ("•", "принимает товар на склад;", 0),
        ("•", "ведет учет складских операций — приход и расход;", 0),
        ("", "С инструкцией ознакомлен: ________", 0),
    ]
    assert (doc.format, doc.reader, doc.encoding) == ("html", "html", "utf-8")
    check_offsets(doc)


CP1251_PAGE = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Инструкция</title></head>
<body><h2>ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ СЧЕТОВОДА</h2>
<p>1.1. Счетовод относится к категории технических исполнителей.</p>
<p>1.2. Счетовод должен знать: правила кассовых операций; формы платежных ведомостей.</p>
</body></html>"""


@pytest.mark.parametrize("markup, codec, encoding, warned", [
    (CP1251_PAGE, "cp1251", "cp1251", False),
    (CP1251_PAGE.replace('http-equiv="Content-Type" content="text/html; charset=windows-1251"',
                         'charset="koi8-r"'), "koi8_r", "koi8-r", False),
    (CP1251_PAGE.replace("windows-1251", "utf-8"), "utf-8", "utf-8", False),
    (CP1251_PAGE.replace("<meta http-equiv", "<mета").replace("charset=windows-1251", ""), "cp1251", "cp1251", False),
    # Saved by a browser as UTF-8 with the old declaration kept: the bytes win, with a warning.
    (CP1251_PAGE, "utf-8", "utf-8", True),
    (CP1251_PAGE, "utf-8-sig", "utf-8", False),
    (CP1251_PAGE, "utf-16", "utf-16", False),
    ('<?xml version="1.0" encoding="windows-1251"?>\n' + CP1251_PAGE.replace("windows-1251", "cp1251"),
     "cp1251", "cp1251", False),
])
def test_encodings(markup, codec, encoding, warned):
    doc = read_html("schetovod.htm", markup.encode(codec))
    assert doc.encoding == encoding
    assert bool(doc.warnings) is warned
    assert [b.text for b in doc.blocks] == [
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ СЧЕТОВОДА",
        "1.1. Счетовод относится к категории технических исполнителей.",
        "1.2. Счетовод должен знать: правила кассовых операций; формы платежных ведомостей.",
    ]


WORD_PAGE = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=windows-1251">
<meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml>
 <w:WordDocument><w:View>Print</w:View></w:WordDocument>
</xml><![endif]-->
<style>
<!-- p.MsoNormal {margin:0cm; font-size:12.0pt;} -->
</style>
</head>
<body lang=RU style='tab-interval:35.4pt'>
<div class=WordSection1>
<p class=MsoTitle align=center style='text-align:center'><b>ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ<o:p></o:p></b></p>
<p class=MsoNormal align=center>оператора котельной<o:p>&nbsp;</o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<h1 style='mso-list:l1 level1 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>Общие
положения</h1>
<p class=MsoListParagraphCxSpFirst style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l1 level2 lfo2'><![if !supportLists]><span
style='mso-list:Ignore'>1.1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span><![endif]>Оператор котельной назначается приказом директора.<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l1 level2 lfo2'><![if !supportLists]><span
style='mso-list:Ignore'>1.2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span><![endif]>Оператор котельной должен знать:<o:p></o:p></p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol'><span
style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>устройство котлов;<o:p></o:p></p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Wingdings'><span style='mso-list:Ignore'>§<span
style='font:7.0pt "Times New Roman"'>&nbsp; </span></span></span><![endif]>правила охраны труда.<o:p></o:p></p>
<!--[if supportFields]><span style='mso-element:field-begin'></span>PAGE<![endif]-->
<p class=MsoNormal>2.1. Номер, набранный вручную, остается в тексте.<o:p></o:p></p>
</div>
</body>
</html>"""


def test_word_html():
    doc = read_html("operator.htm", WORD_PAGE.encode("cp1251"))
    assert doc.encoding == "cp1251"
    assert [(b.number, b.text, b.level, b.heading, b.style) for b in doc.blocks] == [
        ("", "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", 0, 0, "MsoTitle"),
        ("", "оператора котельной", 0, 0, "MsoNormal"),
        ("1.", "Общие положения", 1, 1, "h1"),
        ("1.1.", "Оператор котельной назначается приказом директора.", 2, 0, "MsoListParagraphCxSpFirst"),
        ("1.2.", "Оператор котельной должен знать:", 2, 0, "MsoListParagraphCxSpLast"),
        ("•", "устройство котлов;", 1, 0, "MsoListParagraphCxSpMiddle"),
        ("▪", "правила охраны труда.", 1, 0, "MsoListParagraphCxSpMiddle"),
        ("", "2.1. Номер, набранный вручную, остается в тексте.", 0, 0, "MsoNormal"),
    ]
    check_offsets(doc)


def test_read_dispatches_html_files(tmp_path):
    path = tmp_path / "instrukciya.htm"
    path.write_bytes(CP1251_PAGE.encode("cp1251"))
    doc = read(path)
    assert (doc.format, doc.reader, doc.encoding, doc.name) == ("html", "html", "cp1251", "instrukciya.htm")
    assert doc.blocks[0].text == "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ СЧЕТОВОДА"


@pytest.mark.parametrize("depth", [300, 600])
def test_deeply_nested_markup_keeps_its_text(depth):
    markup = "<div>" * depth + "Ведет учет." + "</div>" * depth + "<p>После</p>"
    assert [b.text for b in read_html("deep.html", markup.encode()).blocks] == ["Ведет учет.", "После"]


def test_markup_nested_beyond_reason_is_a_read_error():
    markup = "<div>" * 1500 + "Ведет учет." + "</div>" * 1500
    with pytest.raises(ReadError, match="nested too deeply"):
        read_html("deep.html", markup.encode())


@pytest.mark.parametrize("markup", [
    "<html><head><title>Пусто</title><script>alert(1)</script></head><body>  </body></html>",
    "<html><body><nav>Меню</nav><!-- только комментарий --></body></html>",
])
def test_page_without_visible_text_is_a_read_error(markup):
    with pytest.raises(ReadError, match="no text"):
        read_html("empty.html", markup.encode("utf-8"))
