import pytest
from .support import AXE_TAGS
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_probe(portal_data, new_context, mode):
    page = new_context("phone", bypass_csp=True).new_page()
    page.goto("/")
    if mode == "elderly":
        page.get_by_test_id("mode-toggle").click()
    for path in ["/", "/guide/", "/who/", "/bring/", "/hotline/", "/stations/", "/self-check/", "/lawyers/", "/signin/", "/privacy/"]:
        page.goto(path)
        page.add_script_tag(path="fayuan/browser_tests/vendor/axe.min.js")
        r = page.evaluate("async (t) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: t}}); return {p: r.passes.length, inc: r.incomplete.map(v => v.nodes.map(n => n.target.join(" ") + " | " + (n.any[0] && n.any[0].message))), v: r.violations.map(v => v.id + '/' + v.impact + ':' + v.nodes.length)} }", AXE_TAGS)
        print(mode, path, r)
