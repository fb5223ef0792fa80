"""Each content check and red flag on hand-written edge cases."""

from __future__ import annotations

import pytest

from rehearse.analysis import analyze_text
from rehearse.domain import Profile, Report
from rehearse.questions import get_question

PROFILE = Profile(
    company="Northwind Logistics",
    role="Operations Analyst",
    values=("reliability", "continuous improvement"),
    description="A regional grocery distributor running twelve depots.",
)


def run(text: str, profile: Profile | None = None, question: str = "career_goals") -> Report:
    return analyze_text(text, get_question(question), profile)


def verdict(text: str, check: str, profile: Profile | None = None) -> str:
    return run(text, profile).check(check).verdict


def flags(text: str) -> set[str]:
    return {f.id for f in run(text).red_flags}


# --- time frames -------------------------------------------------------------------------


def test_short_term_needs_frame_and_content() -> None:
    assert (
        verdict("In my first year I want to get my CAPM and learn SQL.", "short_term_goal")
        == "pass"
    )
    assert (
        verdict("Short term, I just want to settle in and do a good job.", "short_term_goal")
        == "partial"
    )
    assert verdict("I have worked in retail for years.", "short_term_goal") == "miss"


def test_numeric_spans_choose_the_horizon() -> None:
    assert (
        verdict("Over the next two years I want to become a charge nurse.", "short_term_goal")
        == "pass"
    )
    assert (
        verdict("In ten years I'd like to run a regional sales team.", "long_term_goal") == "pass"
    )
    # years of experience are not a time frame
    assert verdict("I have five years of experience as a nurse.", "long_term_goal") == "miss"


def test_long_term_destination_without_frame_is_partial() -> None:
    assert verdict("My goal is to become a product manager.", "long_term_goal") == "partial"
    assert (
        verdict("Long term I just want to be successful and happy.", "long_term_goal") == "partial"
    )


# --- specificity, motivation, experience, plan ---------------------------------------------


def test_specificity_levels_and_vague_aims() -> None:
    assert (
        verdict("I want to move into a management role in supply chain.", "specificity") == "pass"
    )
    assert verdict("I want to move into a management position.", "specificity") == "partial"
    assert (
        verdict("I want to grow, be successful and get better at things.", "specificity") == "miss"
    )


def test_motivation_reason_versus_bare_enthusiasm() -> None:
    assert verdict("I love turning messy data into decisions.", "motivation") == "pass"
    assert verdict("I'm very motivated and ambitious.", "motivation") == "partial"
    # "I'd love to" states an intent, not a passion.
    assert verdict("I'd love to lead a team one day.", "motivation") == "miss"


def test_experience_concrete_versus_generic() -> None:
    assert (
        verdict("I've spent four years as a buyer at a supermarket.", "skills_experience") == "pass"
    )
    assert verdict("I'm a hard worker and a people person.", "skills_experience") == "partial"


def test_development_plan_past_degree_is_not_a_plan() -> None:
    assert (
        verdict("I'm currently enrolled in a part-time CIPD course.", "development_plan") == "pass"
    )
    assert verdict("I have a degree in finance from Leeds.", "development_plan") == "miss"
    assert (
        verdict("I want to keep learning and improve my skills.", "development_plan") == "partial"
    )
    # mentoring others is not the candidate's own development
    assert verdict("Eventually I want to mentor junior staff.", "development_plan") == "miss"


# --- growth in the company ---------------------------------------------------------------


def test_growth_here_versus_anywhere() -> None:
    assert (
        verdict("I'd like to grow within the company and lead a team.", "growth_in_company")
        == "pass"
    )
    assert verdict("I want to move into management.", "growth_in_company") == "partial"


@pytest.mark.parametrize(
    "text",
    [
        "In two years I plan to leave to start my own bakery.",
        "Eventually I want to open my own consultancy.",
        "I see this job as a stepping stone to a bigger agency.",
    ],
)
def test_leaving_plans_miss_growth(text: str) -> None:
    result = run(text).check("growth_in_company")
    assert result.verdict == "miss"
    assert "move on" in result.explanation


def test_negated_leaving_is_not_leaving() -> None:
    text = (
        "I don't plan to leave; I want to grow within the company and take on more responsibility."
    )
    assert verdict(text, "growth_in_company") == "pass"


def test_stepping_stone_inside_the_company_is_fine() -> None:
    text = "This role is a stepping stone toward a lead role within the organisation."
    assert verdict(text, "growth_in_company") == "pass"


# --- company fit ---------------------------------------------------------------------------


def test_company_fit_with_profile_uses_its_facts() -> None:
    text = "I want to build my career at Northwind because reliability matters to me."
    assert verdict(text, "company_fit", PROFILE) == "pass"
    assert verdict("I'd like to work for your company.", "company_fit", PROFILE) == "partial"
    assert verdict("I want to learn Python.", "company_fit", PROFILE) == "miss"


def test_company_fit_without_profile_needs_a_tie() -> None:
    text = "Your focus on renewable energy aligns with where I want my engineering career to go."
    assert verdict(text, "company_fit") == "pass"
    assert (
        verdict("I think your company would be a great place to work.", "company_fit") == "partial"
    )


# --- salary ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm looking for $85,000 a year.",
        "Ideally somewhere in the 45 to 50k range for salary.",
        "I want to earn six figures.",
        "My main goal is to make as much money as I can.",
    ],
)
def test_salary_figures_and_money_first_miss(text: str) -> None:
    assert verdict(text, "salary_tact") == "miss"


@pytest.mark.parametrize(
    "text",
    [
        "I'm looking for a competitive salary that reflects my experience.",
        "For me it's not just about money; I want to build something.",
        "I want to lead a team of six analysts.",
    ],
)
def test_salary_tact_passes(text: str) -> None:
    assert verdict(text, "salary_tact") == "pass"


def test_pay_as_a_prominent_motive_is_partial() -> None:
    assert (
        verdict("Honestly the pay bump is a big part of why I applied.", "salary_tact") == "partial"
    )


# --- length ----------------------------------------------------------------------------------


def test_conciseness_says_how_much_to_cut_or_add() -> None:
    short = run("I want to be a manager. " * 6).check("conciseness")
    assert short.verdict == "miss" and "add about" in short.explanation
    long = run("I want to lead the data team here. " * 45).check("conciseness")
    assert long.verdict == "partial" and "cut about" in long.explanation


# --- red flags -------------------------------------------------------------------------------


def test_red_flags() -> None:
    assert "interviewers_job" in flags("Honestly, in five years I want your job.")
    assert "interviewers_job" not in flags("I'm not after your job, I want to lead a team.")
    assert "negative_past_employer" in flags(
        "My last boss was clueless and the place was a shambles."
    )
    assert "negative_past_employer" not in flags("There wasn't room to grow at my last company.")
    assert "dont_know" in flags("I don't know, really. I haven't thought about it.")
    assert "dont_know" not in flags("I don't know anywhere better to learn logistics.")


def test_off_topic_flag() -> None:
    text = (
        "I love hiking in the Peak District with my dog at weekends. "
        "Last summer we walked the whole Pennine Way over three weeks. "
        "The weather was terrible but the views were amazing. "
        "I want to be a data analyst."
    )
    assert "off_topic" in flags(text)


def test_red_flags_lower_the_score() -> None:
    base = "In five years I want to lead a data team within your company, building dashboards."
    assert run(base + " I want your job.").score < run(base).score


def test_tips_adapt_to_the_profile() -> None:
    report = run("I want to be successful.", PROFILE)
    tips = " ".join(c.tip for c in report.checks)
    assert "Northwind Logistics" in tips
    assert "Operations Analyst" in tips
    assert all(c.tip == "" for c in report.checks if c.verdict == "pass")


def test_evidence_quotes_the_answer_by_offset() -> None:
    text = "So. In the short term I want to pass the CFA level one exam."
    result = run(text).check("short_term_goal")
    assert result.verdict == "pass"
    for e in result.evidence:
        assert text[e.start : e.end] == e.text
        assert e.start_s is None


# --- second pass (1.1.0): general failure modes from the blind held-out set -------------


def test_motivation_is_graded() -> None:
    story = (
        "I want to be a pharmacist here. My dad had treatment at this hospital, and that is "
        "part of why I want to be here."
    )
    assert verdict(story, "motivation") == "pass"
    assert verdict("I'm ambitious, I won't pretend I'm not.", "motivation") == "partial"
    assert (
        verdict("I want to lead a team, because that's how you improve.", "motivation") == "partial"
    )
    assert (
        verdict(
            "I've always been passionate about this area. I want to be a manager.", "motivation"
        )
        == "partial"
    )
    money = "I've got two kids and a mortgage, so that's what matters to me right now."
    assert verdict(money, "motivation") == "partial"


def test_in_due_course_and_school_run_are_not_courses() -> None:
    text = "In due course I would hope to take on more. The school run matters to me."
    assert verdict(text, "development_plan") == "miss"


def test_held_certificate_is_not_a_plan_but_one_in_progress_is() -> None:
    assert verdict("I've got my SIA licence and first aid at work.", "development_plan") == "miss"
    text = "I've done the AZ-900 and I'm halfway through the AZ-104."
    assert verdict(text, "development_plan") == "pass"
    assert verdict(text, "short_term_goal") == "partial"


def test_stepping_stone_to_leave_is_a_miss_but_within_the_trust_is_not() -> None:
    leaving = "I see this job as a stepping stone. We plan to emigrate in about eighteen months."
    assert verdict(leaving, "growth_in_company") == "miss"
    staying = (
        "I see this position as a stepping stone, but within the trust, not away from it. "
        "I'm not planning to leave, I want to build my whole career at the trust."
    )
    assert verdict(staying, "growth_in_company") == "pass"


def test_company_fit_needs_a_link_not_word_overlap() -> None:
    # "logistics" and "depots" echo the profile, but nothing is tied to the company.
    echo = "Probably still in logistics, hopefully running depots in a more senior position."
    assert verdict(echo, "company_fit", PROFILE) != "pass"
    linked = "Northwind's focus on reliability is why I want to build my analyst career there."
    assert verdict(linked, "company_fit", PROFILE) == "pass"
    praise = "Northwind seems like a nice place and I've heard good things about the depots."
    assert verdict(praise, "company_fit", PROFILE) == "partial"


def test_hobby_answer_is_off_topic_despite_training_word() -> None:
    text = (
        "Outside work I'm training for my first marathon. I run four times a week along the "
        "canal at the weekend. The race is in April and I'm hoping to get under four hours. "
        "My sister is doing it with me. I'd like to be a charge nurse one day."
    )
    assert "off_topic" in flags(text)


def test_partners_there_are_a_joke_is_negative_past_employer() -> None:
    text = (
        "The partners there are a joke, they take credit for everything. I want to be a solicitor."
    )
    assert "negative_past_employer" in flags(text)


# --- third pass (1.2.0): motivation is the candidate's drive, not any causal clause --------


def test_because_needs_drive_not_a_practical_reason() -> None:
    # A practical reason for one step explains the step, not what drives the candidate.
    practical = "In my first year I want to cut our ticket backlog, because that's the team target."
    assert verdict(practical, "motivation") == "miss"
    drive = (
        "In my first year I want to move into audit, because I enjoy finding what doesn't add up."
    )
    assert verdict(drive, "motivation") == "pass"
    purpose = "I want to become a ward sister, because I want to help patients recover at home."
    assert verdict(purpose, "motivation") == "pass"


def test_leaving_reason_is_no_motive() -> None:
    text = "I want to become a compliance manager. I'm leaving because my boss never listens to me."
    assert verdict(text, "motivation") == "miss"


def test_slogans_and_reward_are_partial() -> None:
    slogan = "Long term I want to lead a team, because I want to make a real impact."
    assert verdict(slogan, "motivation") == "partial"
    impact = (
        "I want to run a region, and I'd like to look back and feel I made a real impact on it."
    )
    assert verdict(impact, "motivation") == "partial"
    reward = "I want to be a senior broker. I'm driven by reward, plain and simple."
    assert verdict(reward, "motivation") == "partial"


def test_because_after_a_liking_or_a_career_choice_passes() -> None:
    liking = "I want to lead billing. I love this work because nobody notices it until it breaks."
    assert verdict(liking, "motivation") == "pass"
    choice = (
        "I want to become a deputy head. "
        "I became a teacher because nobody helped me read until I was ten."
    )
    assert verdict(choice, "motivation") == "pass"
    pull = "I'd like to be an editor here, because your science desk breaks stories others miss."
    assert verdict(pull, "motivation") == "pass"


# --- growth in the company: rubric 1.3.0 ---------------------------------------------------


def test_a_first_year_task_here_is_not_advancement() -> None:
    # "management" modifies a thing ("a stock management upgrade"), so nothing here is a rung.
    task = "In my first year here I'd like to deliver your new stock management upgrade."
    assert verdict(task, "growth_in_company") == "miss"
    ambition = "In my first year here I'd like to move into a management role."
    assert verdict(ambition, "growth_in_company") == "pass"


def test_ambition_at_a_company_like_yours_is_not_here() -> None:
    like = "Within three years I want to move into product management at a company like yours."
    assert verdict(like, "growth_in_company") == "partial"
    this = "Within three years I want to move into product management at your company."
    assert verdict(this, "growth_in_company") == "pass"


def test_zero_article_title_and_own_caseload_are_growth_here() -> None:
    text = (
        "Over the next year I'd like to build up my own physiotherapy caseload at your clinic. "
        "Eventually I'd like to become director of rehabilitation at this hospital."
    )
    assert verdict(text, "growth_in_company") == "pass"
    # a business of one's own is still a leaving plan
    assert (
        verdict("Eventually I'd like to open my own physiotherapy clinic.", "growth_in_company")
        == "miss"
    )


def test_building_a_new_unit_here_is_responsibility() -> None:
    text = "My goal for the first year is to set up a new data quality team here."
    assert verdict(text, "growth_in_company") == "pass"


def test_stepping_stone_kept_inside_the_organisation_is_growth() -> None:
    text = "I see this job as a stepping stone to the analytics team here."
    assert verdict(text, "growth_in_company") == "pass"
    away = "I see this job as a stepping stone to a bigger firm."
    assert verdict(away, "growth_in_company") == "miss"


def test_advancement_priced_in_pay_is_not_a_future_here() -> None:
    text = "I'd take a supervisor job here if it pays more."
    assert verdict(text, "growth_in_company") == "partial"
    priced = "For a senior engineer role here I'd be looking for 90 to 95k base."
    assert verdict(priced, "growth_in_company") == "miss"


def test_staying_without_growth_is_partial_and_gardening_is_not_growth() -> None:
    assert verdict("I'd be glad to stay a long time if it suits.", "growth_in_company") == "partial"
    assert (
        verdict("I'm not planning on going anywhere, Acme suits me.", "growth_in_company")
        == "partial"
    )
    assert (
        verdict("This spring I want to grow tomatoes on my balcony.", "growth_in_company") == "miss"
    )
    assert verdict("In five years I want to be a good teacher.", "growth_in_company") == "miss"
    assert (
        verdict("I'd like to have moved up by then, hopefully that's here.", "growth_in_company")
        == "pass"
    )


# --- company fit: rubric 1.3.0 -------------------------------------------------------------


def test_goal_aimed_at_a_part_of_the_employers_work_is_a_link() -> None:
    desk = "I'd want to learn from the economists on your markets desk."
    assert verdict(desk, "company_fit", PROFILE) == "pass"
    reason = "Your hospital's stroke unit is the main reason I applied."
    assert verdict(reason, "company_fit") == "pass"
    # the bare company is still only a passing mention
    assert verdict("I'd like to work for your company.", "company_fit", PROFILE) == "partial"


def test_company_as_subject_is_a_reference_but_generic_you_is_not() -> None:
    said = "You fund evening study for analysts, and I'd like to finish my CIMA that way."
    assert verdict(said, "company_fit", PROFILE) == "pass"
    anyone = "I think if you work hard, you get on, and I'd like to finish my CIMA."
    assert verdict(anyone, "company_fit", PROFILE) != "pass"


def test_a_fact_the_interviewer_described_is_a_draw() -> None:
    text = "The coaching culture you described is a big draw for me."
    assert verdict(text, "company_fit") == "pass"


def test_a_team_here_as_the_destination_of_a_stepping_stone_is_a_link() -> None:
    text = "I see this job as a stepping stone to the security team here."
    assert verdict(text, "company_fit") == "pass"


def test_leaving_in_another_clause_does_not_cancel_the_link() -> None:
    text = (
        "Your firm suits me because of your employment law work, but I can't promise "
        "I'll stay forever."
    )
    assert verdict(text, "company_fit") == "pass"
    praise_only = "Your firm is a great place to work, but I can't promise I'll stay forever."
    assert verdict(praise_only, "company_fit") != "pass"


def test_learning_on_the_job_is_not_a_reference_to_the_role() -> None:
    assert verdict("I'd learn most of it on the job, honestly.", "company_fit") == "miss"


# --- time frames: rubric 1.3.0 -------------------------------------------------------------


def test_self_employment_and_the_interviewers_job_are_long_term_destinations() -> None:
    assert verdict("In the long run I plan to go freelance.", "long_term_goal") == "pass"
    assert verdict("In ten years I want your job.", "long_term_goal") == "pass"
    assert verdict("In ten years I'd like to be happy.", "long_term_goal") == "partial"


def test_a_crew_of_n_is_concrete() -> None:
    text = "Eventually I'd like to run a crew of five on the night shift."
    assert verdict(text, "long_term_goal") == "pass"


def test_a_better_leader_is_not_a_concrete_near_term_goal() -> None:
    vague = "Over the next two years I'd like to become a better leader."
    assert verdict(vague, "short_term_goal") == "partial"
    post = "Over the next two years I'd like to become a shift leader."
    assert verdict(post, "short_term_goal") == "pass"


def test_do_my_qualification_is_an_unframed_step() -> None:
    assert verdict("I'd also like to do my CIPD Level 5.", "short_term_goal") == "partial"


# --- time frames: rubric 1.4.0 -------------------------------------------------------------


def test_an_age_is_a_horizon_measured_from_the_stated_age() -> None:
    text = "I'm thirty-one. By the time I'm forty I want to be a finance director."
    assert verdict(text, "long_term_goal") == "pass"
    # Two years off: near-term, not long-term.
    near = "I'm twenty-eight now. By thirty I want to be a chartered surveyor."
    assert verdict(near, "short_term_goal") == "pass"
    assert verdict(near, "long_term_goal") != "pass"  # framed, but not long-term


def test_decades_programme_years_and_seasons_are_frames() -> None:
    assert verdict(
        "Two decades from now I'd like to be a hospital pharmacist.", "long_term_goal"
    ) == ("pass")
    assert verdict("By year two of the degree I want my CIPD Level 3.", "short_term_goal") == "pass"
    assert verdict("This season I'd like to coach the under-twelves.", "short_term_goal") != "miss"
    assert verdict("I want my forklift licence within the year.", "short_term_goal") == "pass"
    assert verdict(
        "I'm about halfway through my AAT and should finish by the summer.", "short_term_goal"
    ) != ("miss")


def test_the_first_couple_of_years_is_a_near_term_span() -> None:
    text = "For the first couple of years I'd like to get my ACCA papers passed."
    assert verdict(text, "short_term_goal") == "pass"


def test_the_last_chapter_of_a_career_is_long_term() -> None:
    text = "For the final stage of my career I'd want to be a head of compliance at a bank."
    assert verdict(text, "long_term_goal") == "pass"


def test_one_day_a_week_is_a_frequency_not_a_horizon() -> None:
    text = "I'm studying for an HNC in electrical engineering one day a week at college."
    assert verdict(text, "long_term_goal") == "miss"
    assert verdict(text, "development_plan") == "pass"


def test_a_first_in_twenty_years_looks_back() -> None:
    text = "We won the league, the first time in about fifteen years, and I'd love to coach."
    assert verdict(text, "long_term_goal") == "miss"


def test_a_hope_about_home_life_is_no_career_goal() -> None:
    text = "In ten years? I hope we've got a cottage by the sea and a dog."
    assert verdict(text, "long_term_goal") == "miss"


# --- concrete content, motivation and development: rubric 1.4.0 ----------------------------


def test_an_own_business_in_a_near_frame_is_a_concrete_goal() -> None:
    text = "Within two years I plan to open my own barbershop."
    assert verdict(text, "short_term_goal") == "pass"
    assert verdict("Long term I'd like five or six little cafes.", "long_term_goal") == "pass"


def test_a_more_senior_role_is_a_direction_however_it_is_padded() -> None:
    text = "In ten years I'd like a more senior role, with lots more responsibility and variety."
    assert verdict(text, "long_term_goal") == "partial"


def test_motivation_without_because_or_passion() -> None:
    assert verdict("I love a messy spreadsheet that nobody else wants.", "motivation") == "pass"
    assert verdict("I got hooked on how bridges carry load.", "motivation") == "pass"
    assert verdict("The bit I enjoy most is calming a worried owner down.", "motivation") == "pass"
    assert verdict("I like that your advisers actually visit the farms.", "motivation") == "pass"
    assert verdict("A big reason I'm applying is your stroke unit.", "motivation") == "pass"
    # Liking generic praise is still bare.
    assert verdict("I like that you're a big company.", "motivation") == "partial"


def test_qualification_acronyms_after_get_or_want_are_plans() -> None:
    assert verdict("This year I want to get my CSCS card.", "development_plan") == "pass"
    assert verdict("Next I want my HGV done.", "development_plan") == "pass"
    # A CV is not a qualification.
    assert verdict("I want to get my CV sorted.", "development_plan") == "miss"


def test_comptia_certifications_spoken_as_words() -> None:
    assert verdict("I'm doing my Security Plus at the moment.", "development_plan") == "pass"


def test_learning_from_a_senior_colleague_is_a_vehicle() -> None:
    text = "I'd like to learn how your senior estimators price a job."
    assert verdict(text, "development_plan") == "pass"


def test_always_improving_is_an_intention_without_a_vehicle() -> None:
    text = "I always want to be improving at what I do."
    assert verdict(text, "development_plan") == "partial"


# --- growth, leaving and fit: rubric 1.4.0 -------------------------------------------------


def test_a_job_to_tide_over_until_something_else_is_a_leaving_plan() -> None:
    text = "Honestly I'd see this role as a way to cover rent while I finish my pilot's licence."
    assert verdict(text, "growth_in_company") == "miss"
    limited = "Realistically I'd be here about eighteen months before I move up north."
    assert verdict(limited, "growth_in_company") == "miss"


def test_running_my_own_jobs_is_not_a_business_of_my_own() -> None:
    text = "In five years I want to be running my own contracts on your infrastructure side."
    assert verdict(text, "growth_in_company") != "miss"


def test_keep_growing_in_a_named_team_here_is_growth_here() -> None:
    text = "I'd like to keep growing in your payroll team."
    assert verdict(text, "growth_in_company") == "pass"


def test_staying_a_good_while_is_staying_without_growth() -> None:
    assert verdict("I'd stay a good while if it suits.", "growth_in_company") == "partial"


def test_a_past_promotion_in_a_story_is_no_ambition() -> None:
    text = "Our netball team got promoted last spring, which was a great night out."
    assert verdict(text, "growth_in_company") == "miss"


def test_a_later_sentence_must_point_back_at_the_goal_to_place_it_here() -> None:
    text = "I'd like to move up eventually. I'm friendly, so I'd get on well here."
    assert verdict(text, "growth_in_company") == "partial"


def test_what_the_company_is_doing_ties_a_goal_to_it() -> None:
    text = "You're merging the two call centres, and I'd love to help run that transition."
    assert verdict(text, "company_fit") == "pass"


def test_perks_are_not_fit() -> None:
    text = "I'd like to do my MSc, which your tuition reimbursement would pay for."
    assert verdict(text, "company_fit") != "pass"


# --- salary and red flags: rubric 1.4.0 ----------------------------------------------------


def test_money_laundering_is_a_field_not_pay() -> None:
    text = "I spent ten years mostly on money laundering cases, and I'd like to be an MLRO."
    assert verdict(text, "salary_tact") == "pass"


def test_a_pay_band_as_a_motive_is_not_tactful() -> None:
    text = "Getting onto the next pay band is a big part of why I'm applying."
    assert verdict(text, "salary_tact") == "partial"


def test_pay_as_the_deciding_factor_is_the_main_goal() -> None:
    text = "Your overtime pays well and, with a new baby, that's the deciding factor for me."
    assert verdict(text, "salary_tact") == "miss"


def test_a_bare_number_is_a_figure_on_the_salary_question() -> None:
    report = analyze_text(
        "Somewhere in the mid forties, I suppose.", get_question("salary_expectations")
    )
    assert report.check("salary_tact").verdict == "miss"


def test_sitting_where_you_are_sitting_aims_at_the_interviewers_job() -> None:
    assert "interviewers_job" in flags("In ten years I'd like to be sitting where you're sitting.")


def test_someone_elses_cluelessness_is_not_dont_know() -> None:
    text = "My supervisor had no idea what she was doing, so I ran the rota myself."
    assert "dont_know" not in flags(text)


def test_pay_talk_and_self_improvement_are_not_off_topic() -> None:
    pay = (
        "I'm on thirty-eight thousand at the moment. I'd be hoping for around forty-two, "
        "honestly. I'm flexible on that, though. I've run the accounts team for three years."
    )
    assert "off_topic" not in flags(pay)
    improve = (
        "I'm always trying to improve myself. I read up a lot online to stay on top of things. "
        "I'd like to become a team leader here eventually."
    )
    assert "off_topic" not in flags(improve)


# --- off topic, motivation, fit, frames, growth and pay: rubric 1.5.0 ----------------------


def test_a_long_digression_with_one_stray_work_word_is_off_topic() -> None:
    # One "team" used to keep the whole camping story on topic, sentence by sentence.
    text = (
        "My goal is to become a charge nurse on the cardiology ward within three years. "
        "Last summer we drove down to Cornwall, it rained for nine days straight, the tent "
        "leaked through the groundsheet and we ended up sleeping in the car at a campsite near "
        "Bude, and the only dry thing all week was the team's old gazebo that somebody's uncle "
        "had lent us, which blew into a field of cows on the last night."
    )
    assert "off_topic" in flags(text)


def test_a_commute_and_training_aside_is_life_not_work() -> None:
    text = (
        "I'd like to join your planning team and move into scheduling within two years. "
        "It's right on my doorstep, I could cycle it in a few minutes instead of sitting on the "
        "M62 every morning, and I'd be able to do my intervals on the track in the evenings, "
        "I'm chasing a personal best at the half marathon in the spring and my long runs on a "
        "Sunday keep going up by a couple of kilometres."
    )
    assert "off_topic" in flags(text)


def test_an_on_topic_answer_with_plain_connectives_is_not_off_topic() -> None:
    text = (
        "In the next two years I want to finish my CIPD Level 5 and take on more of the "
        "employee relations casework. I've been an HR assistant for three years, and honestly "
        "the bit I enjoy is sitting down with a manager and working out what's actually going "
        "on. Long term I'd like to be an HR business partner here."
    )
    assert "off_topic" not in flags(text)


def test_how_they_came_to_the_work_is_motivation() -> None:
    got_into = (
        "I want to qualify as a paramedic within two years. Watching the crew look after my "
        "neighbour is what got me into it."
    )
    assert verdict(got_into, "motivation") == "pass"
    kind_of = (
        "Short term I want to get up to speed on your build tools. That's exactly the kind of "
        "tooling work I want to be doing."
    )
    assert verdict(kind_of, "motivation") == "pass"


def test_a_moment_that_stayed_or_a_family_story_is_motivation() -> None:
    stayed = (
        "A patient I nursed as a student has stayed with me, and I want to specialise in "
        "palliative care."
    )
    assert verdict(stayed, "motivation") == "pass"
    family = "My grandad was a joiner, and next year I want to finish my carpentry Level 3."
    assert verdict(family, "motivation") == "pass"
    taken = "My aunt used to take me to the print works, and I want to train as a press minder."
    assert verdict(taken, "motivation") == "pass"
    # Where they grew up is a life story, not a reason.
    assert verdict("I grew up on a farm and I want a job in logistics.", "motivation") != "pass"


def test_passing_on_help_and_a_purpose_with_an_object_are_motivation() -> None:
    mentor = (
        "A senior engineer coached me through my first year, and I'd like to be that person "
        "for the apprentices here."
    )
    assert verdict(mentor, "motivation") == "pass"
    purpose = "Long term I want to run outreach, helping kids get into engineering."
    assert verdict(purpose, "motivation") == "pass"
    safe = "I'd like to be part of keeping the railway safe as a signaller."
    assert verdict(safe, "motivation") == "pass"


def test_a_description_fact_in_the_candidates_own_goal_ties_it_to_the_company() -> None:
    # The description says "grocery"; no company name or "your" in the sentence.
    goal = "In my first year I'd want to learn how the grocery ranges move through the network."
    assert verdict(goal, "company_fit", PROFILE) == "pass"
    # The candidate's own field echoed from the description is not a tie.
    grocer = Profile("Fresh Co", "Buyer", ("honesty",), "A grocery wholesaler in Leeds.")
    field = "Long term I'd like to stay in wholesale, hopefully somewhere more senior."
    assert verdict(field, "company_fit", grocer) != "pass"


def test_a_price_or_money_raised_is_not_a_pay_figure() -> None:
    repair = (
        "I want to qualify as a gas engineer next year. The boiler man quoted us three grand "
        "to replace the flue, and it was forty quid of parts in the end."
    )
    assert verdict(repair, "salary_tact") == "pass"
    raised = "Last year I organised a sponsored walk, about twelve thousand raised for the ward."
    assert verdict(raised, "salary_tact") == "pass"
    # The candidate's own pay is still a figure.
    assert verdict("I'd be looking for forty-five thousand a year.", "salary_tact") == "miss"


def test_the_organisations_income_and_money_spent_on_the_work_are_not_pay() -> None:
    income = "In my first year I want to grow legacies, since half your income comes from them."
    assert verdict(income, "salary_tact") == "pass"
    spent = "I want to be a quantity surveyor because seeing where the money goes matters to me."
    assert verdict(spent, "salary_tact") == "pass"
    assert verdict(spent, "motivation") == "pass"


def test_the_meantime_probation_and_a_first_review_are_near_term() -> None:
    meantime = "In the meantime I'd like to do a secondment into the payroll team."
    assert verdict(meantime, "short_term_goal") == "pass"
    probation = "Once I pass my probation I want to move onto the night shift as a forklift driver."
    assert verdict(probation, "short_term_goal") == "pass"
    review = "By my first appraisal I'd want to be running the Excel stock reports on my own."
    assert verdict(review, "short_term_goal") == "pass"


def test_a_short_stay_measured_out_is_a_near_term_frame() -> None:
    here = "The plan is two years here getting my AAT Level 3."
    assert verdict(here, "short_term_goal") == "pass"
    contract = "It's a one-year contract, so I'd use it to get my CSCS card and my NVQ."
    assert verdict(contract, "short_term_goal") == "pass"


def test_building_a_career_here_and_ideally_this_one_are_growth_here() -> None:
    career = "Long term I can see myself building a career here as a senior buyer."
    assert verdict(career, "growth_in_company") == "pass"
    this_one = "In ten years I'd like to be heading up a hospital pharmacy, ideally this one."
    assert verdict(this_one, "growth_in_company") == "pass"


def test_a_stepping_stone_split_by_a_filler_is_still_anchored_here() -> None:
    text = "I'd see the depot job as a stepping stone, sort of, to the planning side here."
    assert verdict(text, "growth_in_company") == "pass"


def test_staying_in_a_field_is_not_staying_here() -> None:
    text = "I'd like to stay in insurance I think, and Northwind is a big name."
    assert verdict(text, "growth_in_company", PROFILE) == "miss"


def test_naming_an_end_point_or_where_to_land_states_a_destination() -> None:
    end_point = "In ten years my end point would be head of radiology."
    assert verdict(end_point, "long_term_goal") == "pass"
    land = "Where I'd like to land is a practice manager post."
    assert verdict(land, "long_term_goal") == "partial"


def test_profit_share_and_saving_up_are_pay_talk() -> None:
    share = "Honestly the profit share caught my eye, and I want to move into product design."
    assert verdict(share, "salary_tact") == "partial"
    saving = "I'm saving up to buy a flat, so I want to be a sales lead within a year."
    assert verdict(saving, "salary_tact") == "partial"


def test_training_for_a_hobby_is_not_a_development_plan() -> None:
    text = "I'm training for the Leeds half marathon, and I want to be a paramedic one day."
    assert verdict(text, "development_plan") == "miss"


def test_mocking_a_former_bosss_competence_is_negative() -> None:
    text = (
        "My last job was at an agency run by a man who couldn't spell, so I want a proper "
        "copywriting role."
    )
    assert "negative_past_employer" in flags(text)


def test_a_reason_that_is_only_a_pay_step_is_partial_motivation() -> None:
    text = "I want the assessor course, and the main reason is it moves you up a band."
    assert verdict(text, "motivation") == "partial"
