"""Standards frameworks shipped with protutor, as plain data.

Two frameworks:

* ``TS``: the Teachers' Standards (England), DfE 2011, introduction updated 2013,
  ECT terminology updated 2021. Part One headings and numbering are the official DfE
  ones. The DfE does not letter its bullets; schools letter them a, b, c... in order
  (e.g. "5d"), and this file does the same. Sub-point text is a short paraphrase
  taken from /work/shared/reference/domain.md section 1, not the DfE wording. Part
  Two statements are numbered P2.1-P2.3 by app convention (the DfE does not number
  them).
* ``ETF``: the ETF Professional Standards for Teachers and Trainers in Further
  Education and Training, 2022 edition, numbered as in 2022 (the 2014 numbering
  differs). Headings are our own short paraphrases, not the ETF wording.

Optional keys on a standard or child:

* ``"may_not_apply": True``: the item can be marked "not applicable" (TS 3d, 3e).
* ``"confirmed": False``: the wording could not be checked against a source.
"""

from typing import NotRequired, TypedDict


class ChildStandardData(TypedDict):
    number: str
    heading: str
    may_not_apply: NotRequired[bool]
    confirmed: NotRequired[bool]


class StandardData(ChildStandardData):
    group: str
    children: list[ChildStandardData]


class FrameworkData(TypedDict):
    code: str
    name: str
    version: str
    description: str
    standards: list[StandardData]


TS_PART_ONE = "Part One: Teaching"
TS_PART_TWO = "Part Two: Personal and professional conduct"

ETF_VALUES = "Professional values and attributes"
ETF_KNOWLEDGE = "Professional knowledge and understanding"
ETF_SKILLS = "Professional skills"


TEACHERS_STANDARDS: FrameworkData = {
    "code": "TS",
    "name": "Teachers' Standards",
    "version": "2011 (updated 2021)",
    "description": (
        "The DfE's statutory minimum standards of practice and conduct for trainee teachers, "
        "early career teachers and qualified teachers in England."
    ),
    "standards": [
        {
            "number": "1",
            "heading": "Set high expectations which inspire, motivate and challenge pupils",
            "group": TS_PART_ONE,
            "children": [
                {
                    "number": "1a",
                    "heading": "Establish a safe, stimulating environment built on mutual respect",
                },
                {
                    "number": "1b",
                    "heading": "Set stretching goals for pupils of all backgrounds, abilities and dispositions",
                },
                {"number": "1c", "heading": "Model the attitudes, values and behaviour expected of pupils"},
            ],
        },
        {
            "number": "2",
            "heading": "Promote good progress and outcomes by pupils",
            "group": TS_PART_ONE,
            "children": [
                {
                    "number": "2a",
                    "heading": "Take accountability for pupils' attainment, progress and outcomes",
                },
                {
                    "number": "2b",
                    "heading": "Plan teaching that builds on pupils' capabilities and prior knowledge",
                },
                {
                    "number": "2c",
                    "heading": "Help pupils reflect on the progress they have made and their needs",
                },
                {"number": "2d", "heading": "Understand how pupils learn and how this shapes teaching"},
                {
                    "number": "2e",
                    "heading": "Foster a responsible, conscientious attitude to pupils' own work",
                },
            ],
        },
        {
            "number": "3",
            "heading": "Demonstrate good subject and curriculum knowledge",
            "group": TS_PART_ONE,
            "children": [
                {
                    "number": "3a",
                    "heading": "Secure subject knowledge; sustain pupils' interest and correct misunderstandings",
                },
                {
                    "number": "3b",
                    "heading": "Critical grasp of developments in the subject and curriculum; promote scholarship",
                },
                {
                    "number": "3c",
                    "heading": "Promote literacy, articulacy and correct standard English, whatever the subject",
                },
                {
                    "number": "3d",
                    "heading": "Early reading: clear understanding of systematic synthetic phonics",
                    "may_not_apply": True,
                },
                {
                    "number": "3e",
                    "heading": "Early mathematics: clear understanding of suitable teaching strategies",
                    "may_not_apply": True,
                },
            ],
        },
        {
            "number": "4",
            "heading": "Plan and teach well structured lessons",
            "group": TS_PART_ONE,
            "children": [
                {
                    "number": "4a",
                    "heading": "Use lesson time effectively to build knowledge and understanding",
                },
                {"number": "4b", "heading": "Foster a love of learning and pupils' intellectual curiosity"},
                {
                    "number": "4c",
                    "heading": "Set homework and out-of-class tasks that consolidate and extend learning",
                },
                {"number": "4d", "heading": "Reflect systematically on how well lessons and approaches work"},
                {"number": "4e", "heading": "Help design and provide an engaging curriculum"},
            ],
        },
        {
            "number": "5",
            "heading": "Adapt teaching to respond to the strengths and needs of all pupils",
            "group": TS_PART_ONE,
            "children": [
                {"number": "5a", "heading": "Differentiate appropriately so teaching meets pupils' needs"},
                {
                    "number": "5b",
                    "heading": "Understand what hinders pupils' learning and how to overcome it",
                },
                {
                    "number": "5c",
                    "heading": "Adapt teaching to pupils' physical, social and intellectual development",
                },
                {
                    "number": "5d",
                    "heading": "Meet the needs of SEN, high-ability, EAL and disabled pupils with evaluated approaches",
                },
            ],
        },
        {
            "number": "6",
            "heading": "Make accurate and productive use of assessment",
            "group": TS_PART_ONE,
            "children": [
                {
                    "number": "6a",
                    "heading": "Know how to assess the subject, including statutory requirements",
                },
                {"number": "6b", "heading": "Use formative and summative assessment to secure progress"},
                {"number": "6c", "heading": "Use data to monitor progress, set targets and plan lessons"},
                {
                    "number": "6d",
                    "heading": "Give regular oral and written feedback and get pupils to act on it",
                },
            ],
        },
        {
            "number": "7",
            "heading": "Manage behaviour effectively to ensure a good and safe learning environment",
            "group": TS_PART_ONE,
            "children": [
                {
                    "number": "7a",
                    "heading": "Clear rules and routines; promote courteous behaviour in line with school policy",
                },
                {
                    "number": "7b",
                    "heading": "High expectations of behaviour; use praise, sanctions and rewards fairly",
                },
                {
                    "number": "7c",
                    "heading": "Manage classes in ways suited to pupils' needs, to involve and motivate",
                },
                {
                    "number": "7d",
                    "heading": "Build good relationships, exercise authority and act decisively",
                },
            ],
        },
        {
            "number": "8",
            "heading": "Fulfil wider professional responsibilities",
            "group": TS_PART_ONE,
            "children": [
                {
                    "number": "8a",
                    "heading": "Contribute positively to the wider life and ethos of the school",
                },
                {
                    "number": "8b",
                    "heading": "Work well with colleagues; know when to seek advice and specialist support",
                },
                {"number": "8c", "heading": "Make good use of support staff"},
                {
                    "number": "8d",
                    "heading": "Own your professional development and act on advice and feedback",
                },
                {
                    "number": "8e",
                    "heading": "Communicate with parents about pupils' achievements and well-being",
                },
            ],
        },
        {
            "number": "P2.1",
            "heading": "Uphold public trust in the profession and high ethical standards, in and out of school",
            "group": TS_PART_TWO,
            "children": [],
        },
        {
            "number": "P2.2",
            "heading": "Respect the school's ethos, policies and practices; keep good attendance and punctuality",
            "group": TS_PART_TWO,
            "children": [],
        },
        {
            "number": "P2.3",
            "heading": "Understand, and always act within, the statutory frameworks that set professional duties",
            "group": TS_PART_TWO,
            "children": [],
        },
    ],
}


# ETF Professional Standards for Teachers and Trainers, 2022 edition (2022 numbering).
#
# Headings are our own paraphrases. Where the wording was checked (searched Nov 2026):
# * 1-5: ETF's own page, et-foundation.co.uk/professional-standards/ (the stored copy
#   of the list breaks off part-way through 5); the etfoundation.co.uk/professional-
#   standards/teachers copy breaks off at 2. Both confirm 20 standards in three domains
#   of 7 + 5 + 8.
# * 1-10: the transcription at ltscmaltportfolio.co.uk/3b ("The ETF Professional
#   Standards (2022)"); its copy breaks off part-way through 10.
# * 4, 5, 6, 13, 16, 17, 18, 19: a public GitHub rubric (an FE induction rubric that
#   cites "ETF Professional Standards for Teachers and Trainers (2022), standard N" and
#   links etfoundation.co.uk/professional-standards/teachers/). For 4, 5 and 6 its
#   wording matches the ETF page and the transcription. 13 and 16-19 rest on this
#   source alone: no ETF page copy showed them.
# * 11, 12, 14, 15, 20: no source found. The headings below follow only the ETF
#   summary of each domain (knowledge: "supporting learners with educational
#   difficulties, and professional responsibilities"; skills: "planning, motivation,
#   coaching and assessment") and are marked "confirmed": False. 20's heading is our
#   best reading of the 2022 skills domain (working with employers and partners). Check
#   all five against the ETF page; an institution can add its own framework meanwhile.
ETF_STANDARDS: FrameworkData = {
    "code": "ETF",
    "name": "Professional Standards for Teachers and Trainers (further education)",
    "version": "2022",
    "description": (
        "The Education and Training Foundation's aspirational, non-statutory standards for "
        "teachers and trainers in further education and training in England, which underpin "
        "QTLS and ATS."
    ),
    "standards": [
        {
            "number": "1",
            "heading": "Reflect critically on your own practice, values and beliefs to improve learners' outcomes",
            "group": ETF_VALUES,
            "children": [],
        },
        {
            "number": "2",
            "heading": "Promote and embed education for sustainable development (ESD) in learning and work",
            "group": ETF_VALUES,
            "children": [],
        },
        {
            "number": "3",
            "heading": "Inspire and motivate learners, raising aspirations through high expectations",
            "group": ETF_VALUES,
            "children": [],
        },
        {
            "number": "4",
            "heading": "Build learners' confidence, autonomy and thinking skills from their needs and starting points",
            "group": ETF_VALUES,
            "children": [],
        },
        {
            "number": "5",
            "heading": "Champion diversity, equality of opportunity, inclusion and social equity",
            "group": ETF_VALUES,
            "children": [],
        },
        {
            "number": "6",
            "heading": "Build collaborative, respectful relationships with learners, colleagues and external partners",
            "group": ETF_VALUES,
            "children": [],
        },
        {
            "number": "7",
            "heading": "Take part in and promote a culture of continuous learning and quality improvement",
            "group": ETF_VALUES,
            "children": [],
        },
        {
            "number": "8",
            "heading": "Keep your subject-specialist knowledge current with new practice, research and industry needs",
            "group": ETF_KNOWLEDGE,
            "children": [],
        },
        {
            "number": "9",
            "heading": "Review and apply educational research, pedagogy and assessment for evidence-informed practice",
            "group": ETF_KNOWLEDGE,
            "children": [],
        },
        {
            "number": "10",
            "heading": "Share and update effective practice with colleagues, networks and researchers to improve",
            "group": ETF_KNOWLEDGE,
            "children": [],
        },
        {
            "number": "11",
            "heading": "Understand and support learners with educational difficulties and additional needs",
            "group": ETF_KNOWLEDGE,
            "children": [],
            "confirmed": False,
        },
        {
            "number": "12",
            "heading": "Understand your professional role and responsibilities",
            "group": ETF_KNOWLEDGE,
            "children": [],
            "confirmed": False,
        },
        {
            "number": "13",
            "heading": "Encourage and support positive behaviour, attitudes and wellbeing in learners",
            "group": ETF_SKILLS,
            "children": [],
        },
        {
            "number": "14",
            "heading": "Plan and deliver effective, inclusive learning for groups and individuals",
            "group": ETF_SKILLS,
            "children": [],
            "confirmed": False,
        },
        {
            "number": "15",
            "heading": "Motivate and coach learners so that they achieve and progress",
            "group": ETF_SKILLS,
            "children": [],
            "confirmed": False,
        },
        {
            "number": "16",
            "heading": "Choose and use digital technologies safely and effectively to support learning",
            "group": ETF_SKILLS,
            "children": [],
        },
        {
            "number": "17",
            "heading": "Build learners' maths, English, digital and wider employability skills",
            "group": ETF_SKILLS,
            "children": [],
        },
        {
            "number": "18",
            "heading": "Give learners current information, advice and guidance for informed progression choices",
            "group": ETF_SKILLS,
            "children": [],
        },
        {
            "number": "19",
            "heading": "Assess fairly and appropriately, with constructive, timely feedback that supports achievement",
            "group": ETF_SKILLS,
            "children": [],
        },
        {
            "number": "20",
            "heading": "Work with employers and partners so learning prepares learners for work and further study",
            "group": ETF_SKILLS,
            "children": [],
            "confirmed": False,
        },
    ],
}


FRAMEWORKS: list[FrameworkData] = [TEACHERS_STANDARDS, ETF_STANDARDS]
