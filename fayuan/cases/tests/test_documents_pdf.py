"""The official documents are real PDFs that say the right things in Chinese.

Each kind is reached through the services (never by writing ``status``), rendered by WeasyPrint and read back
with poppler's ``pdftotext``; one test also rasterises a page with ``pdftoppm``.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases import services
from fayuan.cases.documents import document_bytes, document_file, render_pdf
from fayuan.cases.documents.chinese import bureau_name, cn_date_upper, cn_number
from fayuan.cases.models import Case, Document, DocumentKind
from fayuan.core.crypto import phone_mask

from .conftest import granted, in_progress, receive


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lawyers(city: Any, providers: list[Any]) -> list[Any]:
    """Accounts for the test providers (the city's own provider persona already has one)."""
    for i, p in enumerate(providers[:3]):
        User.objects.create_user(username=f"lawyer{i}", password="x" * 12, role="provider", provider=p)
    return providers


def doc_of(case: Case, kind: str) -> Document:
    return Document.objects.get(case=case, kind=kind)


def issue(city: Any, case: Case, kind: str) -> Document:
    return services.document_issue(actor=city.user("reviewer_a"), case=case, kind=kind)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],  # noqa: S603,S607
                         check=True, capture_output=True, timeout=60)
    return out.stdout.decode()


def flat(text: str) -> str:
    """Layout text without the spaces and line breaks the layout adds, for phrases that may wrap."""
    return re.sub(r"\s+", "", text)


# --- reaching each document through the services --------------------------------------------------------------

def application_form(city: Any) -> Document:
    case = receive(city, facts="申请人在某建筑公司工地务工八个月，公司拖欠工资 2.4 万元至今未付。")
    return issue(city, case, DocumentKind.APPLICATION_FORM)


def receipt(city: Any) -> Document:
    case = receive(city)
    for kind, name in [("id_document", "身份证.jpg"), ("means_proof", "承诺书.pdf"), ("case_evidence", "欠条.pdf"),
                       ("case_evidence", "考勤表.pdf")]:
        head = b"\xff\xd8\xff\xe0" if name.endswith(".jpg") else b"%PDF-1.4\n"
        services.case_file_add(actor=city.user("reviewer_a"), case=case, kind=kind,
                               upload=SimpleUploadedFile(name, head + b"0" * 64))
    return issue(city, case, DocumentKind.RECEIPT)


SUPPLEMENT_ITEMS = ["劳动合同或者能够证明劳动关系的其他材料", "拖欠工资的欠条或者工资结算单",
                    "家庭经济状况个人诚信承诺书"]


def supplement_notice(city: Any) -> Document:
    case = receive(city)
    services.supplement_request(actor=city.user("reviewer_a"), public_id=case.public_id, items=SUPPLEMENT_ITEMS,
                                note="原件核对后退还。", due_on=timezone.localdate() + dt.timedelta(days=15))
    return issue(city, case, DocumentKind.SUPPLEMENT_NOTICE)


def grant_decision(city: Any) -> Document:
    return doc_of(granted(city), DocumentKind.GRANT_DECISION)


def refused_case(city: Any) -> Case:
    # 赵六 declares no group, and 9 000 yuan a month for one person is above the minimum wage.
    case = receive(city, applicant_id=city.applicant_person.public_id, household_size=1,
                   household_monthly_income=Decimal("9000.00"))
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse")
    return case


def refusal_decision(city: Any) -> Document:
    return doc_of(refused_case(city), DocumentKind.REFUSAL_DECISION)


def assignment_notice(city: Any) -> Document:
    return doc_of(in_progress(city), DocumentKind.ASSIGNMENT_NOTICE)


def organ_letter(city: Any) -> Document:
    return doc_of(in_progress(city), DocumentKind.ORGAN_LETTER)


def termination_decision(city: Any) -> Document:
    case = in_progress(city)
    services.case_terminate(actor=city.user("reviewer_a"), public_id=case.public_id, reason="own_lawyer",
                            explanation="受援人已于本月自行委托律师代理本案，并书面告知本中心。")
    return doc_of(case, DocumentKind.TERMINATION_DECISION)


MAKERS = {
    DocumentKind.APPLICATION_FORM: application_form,
    DocumentKind.RECEIPT: receipt,
    DocumentKind.SUPPLEMENT_NOTICE: supplement_notice,
    DocumentKind.GRANT_DECISION: grant_decision,
    DocumentKind.REFUSAL_DECISION: refusal_decision,
    DocumentKind.ASSIGNMENT_NOTICE: assignment_notice,
    DocumentKind.ORGAN_LETTER: organ_letter,
    DocumentKind.TERMINATION_DECISION: termination_decision,
}


def full_id(document: Document) -> str:
    return document.case.applicant.decrypted_id_number()


def key_phrases(document: Document) -> list[str]:
    """What each document must say, beyond its title, the center and its number."""
    case = document.case
    masked = case.applicant.id_number_masked
    provider = case.assignments.order_by("assigned_at").first()
    name = provider.provider.name if provider else ""
    firm = provider.provider.firm.name if provider and provider.provider.firm else ""
    grant = case.decisions.filter(kind="grant").first()
    return {
        DocumentKind.APPLICATION_FORM: ["张三", masked, "追索劳动报酬", "京口区人民法院", "3000.00", "申请人（签名）",
                                        "工地务工八个月"],
        DocumentKind.RECEIPT: ["张三", "身份证明", "经济困难证明或承诺", "案件相关材料", "七日内", case.number],
        DocumentKind.SUPPLEMENT_NOTICE: [*SUPPLEMENT_ITEMS, "一次性告知", "视为撤回申请", "原件核对后退还",
                                         "第四十三条第二款"],
        DocumentKind.GRANT_DECISION: ["张三", "给予你法律援助", "请求支付劳动报酬", "第四十三条", "三日内指派"],
        DocumentKind.REFUSAL_DECISION: ["赵六", "不予法律援助", "高于当地月最低工资标准", "法律援助法第三十四条",
                                        "异议", "京口区司法局", "第四十九条", "五日内"],
        DocumentKind.ASSIGNMENT_NOTICE: [firm, name, "张三", masked, "诉讼代理人", "委托协议", "第四十六条",
                                         grant.document_number if grant else "?"],
        DocumentKind.ORGAN_LETTER: ["京口区人民法院", name, firm, "诉讼代理人", "特此函告",
                                    grant.document_number if grant else "?"],
        DocumentKind.TERMINATION_DECISION: ["张三", "终止法律援助", "受援人自行委托律师或者其他代理人",
                                            "第四十八条第六项", "自行委托律师代理本案", "异议", "京口区司法局",
                                            "第四十九条", name],
    }[DocumentKind(document.kind)]


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("kind", list(MAKERS))
def test_each_document_is_a_pdf_that_says_the_right_things(city: Any, lawyers: Any, kind: DocumentKind,
                                                           tmp_path: Path) -> None:
    document = MAKERS[kind](city)
    pdf = render_pdf(document)
    assert pdf.startswith(b"%PDF-")
    text = flat(pdf_text(pdf, tmp_path))
    assert flat(DocumentKind(kind).label) in text  # the title
    assert "京口区法律援助中心" in text  # letterhead and signature
    assert (document.number or document.case.number) in text
    assert cn_date_upper(timezone.localdate(document.created_at)) in text or kind == DocumentKind.APPLICATION_FORM
    for phrase in key_phrases(document):
        assert flat(phrase) in text, phrase
    assert full_id(document) not in text  # masked only, on every document


@pytest.mark.usefixtures("poppler")
def test_refusal_lists_every_failed_criterion_with_its_basis(city: Any, tmp_path: Path) -> None:
    case = receive(city, applicant_id=city.applicant_person.public_id, matter="other", household_size=1,
                   household_monthly_income=Decimal("9000.00"))
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse")
    text = flat(pdf_text(render_pdf(doc_of(case, DocumentKind.REFUSAL_DECISION)), tmp_path))
    assert "一、申请事项不在法律援助事项范围内" in text
    assert "依据：法律援助法第三十一条" in text
    assert "二、家庭月收入9000.00元" in text
    assert "依据：法律援助法第三十四条" in text
    assert "可以向京口区司法局提出" in text


@pytest.mark.usefixtures("poppler")
def test_a_criminal_case_tells_the_organ_who_defends(city: Any, lawyers: Any, tmp_path: Path) -> None:
    case = in_progress(city, case_type="criminal", matter="", criminal_ground="none", criminal_stage="trial",
                       matter_summary="涉嫌盗窃罪", handling_organ="京口区人民法院刑事审判庭")
    text = flat(pdf_text(render_pdf(doc_of(case, DocumentKind.ORGAN_LETTER)), tmp_path))
    assert "被告人张三涉嫌盗窃罪一案" in text
    assert "担任张三的辩护人" in text
    assert "会见、阅卷、调查取证" in text


@pytest.mark.usefixtures("poppler")
def test_fonts_are_the_embedded_noto_cjk_and_the_first_page_rasterises(city: Any, tmp_path: Path) -> None:
    from PIL import Image  # Pillow comes with WeasyPrint

    path = tmp_path / "refusal.pdf"
    path.write_bytes(render_pdf(doc_of(refused_case(city), DocumentKind.REFUSAL_DECISION)))
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True,  # noqa: S603,S607
                           timeout=60).stdout.splitlines()[2:]
    # Every glyph comes from the embedded Noto CJK font: a fallback font would mean a glyph it lacks (tofu).
    assert fonts and all("Noto-Serif-CJK-SC" in line and " yes yes yes " in line for line in fonts), fonts
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],  # noqa: S603,S607
                   check=True, capture_output=True, timeout=60)
    png = next(tmp_path.glob("page*.png"))
    with Image.open(png) as image:
        assert image.size == (414, 585)  # A4 at 50 dpi
        # The letterhead and title are drawn: the top band has dark pixels, not a blank page.
        darkest, _ = image.convert("L").crop((0, 20, 414, 120)).getextrema()  # (min, max) of one band
        assert isinstance(darkest, int) and darkest < 80


def test_rendering_is_deterministic(city: Any) -> None:
    document = grant_decision(city)
    assert render_pdf(document) == render_pdf(document), (
        "the same document rendered twice must give the same bytes; is Debian libharfbuzz-subset0 installed?")


def test_document_file_renders_once_then_serves_from_disk(city: Any, media_root: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    document = grant_decision(city)
    assert not document.file
    stored = document_file(document)
    created = timezone.localtime(document.created_at)
    assert stored.name == f"documents/{created:%Y}/{created:%m}/{document.pk}-grant_decision.pdf"
    path = media_root / stored.name
    assert path.read_bytes() == render_pdf(document)
    document.refresh_from_db()
    assert document.file.name == stored.name

    from fayuan.cases.documents import render

    def no_render(document: Document) -> bytes:
        raise AssertionError("rendered again although the file is on disk")

    monkeypatch.setattr(render, "render_pdf", no_render)
    assert document_bytes(Document.objects.get(pk=document.pk)) == path.read_bytes()

    # A file lost from disk (media not restored) is rendered again from the same data: same bytes.
    before = path.read_bytes()
    path.unlink()
    monkeypatch.undo()
    assert document_bytes(Document.objects.get(pk=document.pk)) == before


def test_a_document_without_its_rows_refuses_with_a_clear_message(city: Any) -> None:
    from fayuan.cases.documents import DocumentDataMissing

    document = issue(city, receive(city), DocumentKind.SUPPLEMENT_NOTICE)  # no supplement request recorded
    with pytest.raises(DocumentDataMissing, match="没有补充材料通知"):
        render_pdf(document)


def test_chinese_numerals_and_dates() -> None:
    assert [cn_number(n) for n in (1, 10, 11, 20, 21, 100, 105, 110, 2026)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十", "二千零二十六"]
    assert cn_date_upper(dt.date(2026, 11, 29)) == "二〇二六年十一月二十九日"
    assert cn_date_upper(dt.date(2030, 1, 10)) == "二〇三〇年一月十日"
    assert phone_mask("13800000001") == "138****0001"
    assert bureau_name("镇江市京口区法律援助中心") == "镇江市京口区司法局"
    assert bureau_name("丹阳市法律援助中心") == "丹阳市司法局"
