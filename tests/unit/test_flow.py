"""The flow state machine alone: no Qt, no devices."""

from datetime import date

import pytest

from devices.cards.base import CardData, CardKind
from kiosk.catalog import FormError, load_catalog
from kiosk.flow import Flow, FlowError, Step

TODAY = date(2026, 11, 21)


def card(id_number: str = "11010519491231002X", valid_to: date | None = None) -> CardData:
    return CardData(
        kind=CardKind.SOCIAL_SECURITY, name="张三丰", gender="男", nation="汉",
        birth_date=date(1949, 12, 31), address="", id_number=id_number,
        issuing_authority="", valid_from=None, valid_to=valid_to, card_number="A12345678",
        region="110105",
    )


def make_flow() -> tuple[Flow, list[Step]]:
    seen: list[Step] = []
    counter = iter(range(1000))
    flow = Flow(load_catalog(), new_txid=lambda: f"tx-{next(counter)}", today=lambda: TODAY,
                on_change=seen.append)
    return flow, seen


def walk_to_confirm(flow: Flow) -> None:
    flow.choose_service("elderly-card-apply")
    flow.accept_guide()
    flow.accept_privacy()
    assert flow.identify(card()).ok
    flow.submit_form({"delivery": "pickup", "phone": "13800138000"})


def test_happy_path_visits_every_step_in_order() -> None:
    flow, seen = make_flow()
    walk_to_confirm(flow)
    assert flow.begin_submit()
    flow.submitted("K0451-20261121-0001-5")
    flow.finish_receipt()
    flow.rate(5)
    assert seen == [Step.GUIDE, Step.PRIVACY, Step.IDENTIFY, Step.FORM, Step.CONFIRM,
                    Step.SUBMITTING, Step.RECEIPT, Step.RATING, Step.FAREWELL]


def test_double_tap_on_submit_begins_only_once_and_keeps_the_txid() -> None:
    flow, _ = make_flow()
    walk_to_confirm(flow)
    txid = flow.session.txid
    assert txid is not None
    assert flow.begin_submit() is True
    assert flow.begin_submit() is False
    flow.submit_failed()
    assert flow.session.txid == txid  # a retry after a failure re-uses the same id
    assert flow.begin_submit() is True


def test_wrong_check_character_on_card_is_refused_and_not_kept() -> None:
    flow, _ = make_flow()
    flow.choose_service("elderly-card-apply")
    flow.accept_guide()
    flow.accept_privacy()
    verdict = flow.identify(card("110105194912310021"))
    assert not verdict.ok and verdict.reason == "check_character"
    assert flow.session.identity is None
    assert flow.step is Step.IDENTIFY


def test_expired_card_and_age_rule_are_refused_with_reasons() -> None:
    flow, _ = make_flow()
    flow.choose_service("elderly-card-apply")
    flow.accept_guide()
    flow.accept_privacy()
    assert flow.identify(card(valid_to=date(2020, 1, 1))).reason == "expired"
    young = "110105200001010016"
    assert flow.identify(card(young)).reason == "age"


def test_bad_phone_names_the_field() -> None:
    flow, _ = make_flow()
    flow.choose_service("elderly-card-apply")
    flow.accept_guide()
    flow.accept_privacy()
    flow.identify(card())
    with pytest.raises(FormError) as exc:
        flow.submit_form({"delivery": "pickup", "phone": "123"})
    assert exc.value.field == "phone"


def test_reset_drops_personal_data_and_goes_home() -> None:
    flow, _ = make_flow()
    walk_to_confirm(flow)
    flow.reset()
    assert flow.step is Step.HOME
    assert flow.session.identity is None and flow.session.form == {}
    assert "张" not in repr(flow.session)


def test_transitions_out_of_order_are_refused() -> None:
    flow, _ = make_flow()
    with pytest.raises(FlowError):
        flow.accept_privacy()


# Lists opened from home: a department's, a life event's services, or the search ----------

def test_a_department_list_leads_to_a_guide_and_back_to_the_same_list() -> None:
    flow, seen = make_flow()
    flow.open_listing("department", "civil_affairs")
    listing = flow.listing
    assert flow.step is Step.SERVICES and listing is not None
    assert (listing.kind, listing.code) == ("department", "civil_affairs")
    flow.choose_service("elderly-card-apply")
    assert flow.step is Step.GUIDE
    flow.back()
    assert flow.step is Step.SERVICES and flow.listing is listing  # the same list, kept
    assert flow.session.service is None
    flow.back()
    assert flow.step is Step.HOME and flow.listing is None
    assert seen == [Step.SERVICES, Step.GUIDE, Step.SERVICES, Step.HOME]


def test_a_life_event_list_and_the_search_are_steps_of_their_own() -> None:
    flow, _ = make_flow()
    flow.open_listing("life_event", "retirement")
    assert flow.step is Step.SERVICES
    flow.back()
    flow.open_listing("search")
    assert flow.step is Step.SEARCH
    flow.choose_service("elderly-card-apply")
    flow.back()
    assert flow.step is Step.SEARCH  # back from the guide to the results
    flow.reset()
    assert flow.step is Step.HOME and flow.listing is None


def test_a_service_chosen_on_home_goes_back_home_even_after_an_earlier_list() -> None:
    flow, _ = make_flow()
    flow.open_listing("department", "civil_affairs")
    flow.back()
    flow.choose_service("elderly-card-apply")
    flow.back()
    assert flow.step is Step.HOME


@pytest.mark.parametrize(("kind", "code"), [("department", "no-such"), ("life_event", "x"),
                                            ("shelf", "")])
def test_an_unknown_listing_is_refused_and_the_citizen_stays_home(kind: str, code: str) -> None:
    flow, seen = make_flow()
    with pytest.raises(FlowError):
        flow.open_listing(kind, code)
    assert flow.step is Step.HOME and seen == []


def test_lists_open_only_from_home() -> None:
    flow, _ = make_flow()
    flow.open_listing("search")
    with pytest.raises(FlowError):
        flow.open_listing("department", "civil_affairs")
    with pytest.raises(FlowError):
        flow.open_tracking()


def test_a_completed_service_is_counted_once_when_it_is_stored() -> None:
    counted: list[str] = []
    flow = Flow(load_catalog(), new_txid=lambda: "tx-1", today=lambda: TODAY,
                on_complete=counted.append)
    walk_to_confirm(flow)
    assert flow.begin_submit()
    assert counted == []  # not yet stored: a failure here counts nothing
    flow.submit_failed()
    assert flow.begin_submit()
    flow.submitted("K0451-20261121-0001-5")
    assert counted == ["elderly-card-apply"]
def test_an_upper_age_limit_is_refused_with_its_own_reason() -> None:
    flow, _ = make_flow()
    service = flow.catalog.get("graduate-employment-report")  # max_age 40 in the catalogue
    assert service.max_age == 40
    flow.choose_service(service.code)
    flow.accept_guide()
    flow.accept_privacy()
    verdict = flow.identify(card("11010519491231002X"))  # born 1949
    assert not verdict.ok and verdict.reason == "over_age"
    assert flow.session.identity is None and flow.step is Step.IDENTIFY
