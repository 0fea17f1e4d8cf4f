"""The sources curated answers may cite, by key.

Each answer in data/content/ names its sources by these keys in its response
metadata; the content lint checks that every key used is listed here, and the
content report prints the full titles for clinical reviewers. SOURCES holds the
title people see when they ask "where is that from?" (keep it short: it is sent
by SMS too); WHERE says where a reviewer finds the document.
"""

SOURCES: dict[str, str] = {
    "center": (
        "Lake Avenue Recovery, 'Can You Recover From a Heroin Addiction?' "
        "(the center's own article)"
    ),
    "dea": "U.S. Drug Enforcement Administration (DEA), Drug Fact Sheet: Heroin",
    "nida": "National Institute on Drug Abuse (NIDA): Heroin DrugFacts and research reports",
    "cdc": "Centers for Disease Control and Prevention (CDC), Opioid Overdose Prevention",
    "cdc_xylazine": "CDC, What You Should Know About Xylazine",
    "cdc_fentanyl_test_strips": "CDC, Fentanyl Test Strips: A Harm Reduction Strategy",
    "samhsa": "Substance Abuse and Mental Health Services Administration (SAMHSA)",
    "samhsa_overdose_toolkit": "SAMHSA, Overdose Prevention and Response Toolkit (2025 update)",
    "samhsa_part8": (
        "SAMHSA, 42 CFR Part 8 Final Rule (2024): Medications for the Treatment of "
        "Opioid Use Disorder"
    ),
    "lifeline_988": "988 Suicide & Crisis Lifeline (988lifeline.org)",
    "fda": "U.S. Food and Drug Administration (FDA)",
    "fda_label": "FDA prescribing information (label) for naltrexone / Vivitrol",
    "fda_benzodiazepines": (
        "FDA Drug Safety Communications on benzodiazepines (2016: with opioids; "
        "2020: dependence and withdrawal)"
    ),
    "medlineplus": "MedlinePlus (U.S. National Library of Medicine), Opiate and opioid withdrawal",
    "medlineplus_alcohol": "MedlinePlus, Alcohol withdrawal and Delirium tremens",
    "medlineplus_emergency": "MedlinePlus, Recognizing medical emergencies",
    "asam_fentanyl": (
        "ASAM Clinical Considerations: Buprenorphine Treatment for People Using "
        "High-potency Synthetic Opioids (2023)"
    ),
    "mass_good_samaritan": (
        "Massachusetts DPH, 911 Good Samaritan Law (M.G.L. c.94C, s.34A): Make the Right Call"
    ),
    "mass_text_911": "Massachusetts State 911 Department, Text to 911",
    "privacy_notice": "This assistant's privacy notice (PRIVACY.md)",
    "this_project": "This assistant's own description (README.md)",
    "center_facts": (
        "Lake Avenue Recovery's own details (address, hours, first day, what to bring, "
        "phones, visits), as the center gives them"
    ),
    "fda_xylazine": "FDA, Risks to patients exposed to xylazine in illicit drugs (2022)",
    "fda_lofexidine": "FDA, Approval of lofexidine (Lucemyra) for opioid withdrawal (2018)",
    "samhsa_tip43": "SAMHSA TIP 43, Medication-Assisted Treatment in Opioid Treatment Programs",
    "samhsa_workplace": "SAMHSA, Federal Workplace Drug Testing: testing panels and MRO manual",
    "acog_pregnancy": "ACOG Committee Opinion 711, Opioid Use and Opioid Use Disorder in Pregnancy",
    "nida_comorbidity": "NIDA, Common Comorbidities with Substance Use Disorders Research Report",
    "samhsa_co_occurring": (
        "SAMHSA Advisory, Substance Use Disorder Treatment for People With Co-Occurring "
        "Disorders (2021)"
    ),
    "cfr_part2": "42 CFR Part 2, Confidentiality of Substance Use Disorder Patient Records",
    "mass_section35": "Massachusetts Trial Court (mass.gov), Section 35 commitment",
    "na": "Narcotics Anonymous World Services (na.org)",
    "smart_recovery": "SMART Recovery (smartrecovery.org)",
    "samhsa_recovery_housing": "SAMHSA, Best Practices for Recovery Housing",
    "mash_sober_homes": "Massachusetts Alliance for Sober Housing (MASH), sober home certification",
    "learn_to_cope": "Learn to Cope, peer support for families (learn2cope.org)",
    "nar_anon": "Nar-Anon Family Groups (nar-anon.org)",
    "samhsa_craft": "SAMHSA evidence registry: Community Reinforcement and Family Training (CRAFT)",
    "cdc_naloxone_es": "CDC en español: 'La naloxona y su poder de salvar vidas'",
    "samhsa_overdose_toolkit_es": (
        "SAMHSA: Manual de instrucción para la prevención de sobredosis de opioides (en español)"
    ),
    "nida_relapse_es": "NIDA en español: '¿Qué es una recaída?' y 'Tratamiento y recuperación'",
    "hhs_part2_es": "HHS en español: hoja informativa, norma final de 42 CFR Parte 2 (2024)",
    "nida_es": (
        "NIDA en español: 'La heroína' (DrugFacts y Reporte de investigación) y 'Principios de "
        "tratamientos para la drogadicción'"
    ),
    "medlineplus_es": "MedlinePlus en español: Opiáceos y abstinencia de opioides",
    "medlineplus_alcohol_es": "MedlinePlus en español: Abstinencia alcohólica y Delirium tremens",
    "cdc_xylazine_es": "CDC en español: 'Lo que debe saber acerca de la xilacina'",
    "nida_medications_es": (
        "NIDA en español: 'Medicamentos para el tratamiento del trastorno por consumo de "
        "opioides' (Reporte de investigación)"
    ),
    "medlineplus_opioid_treatment_es": (
        "MedlinePlus en español: Tratamiento para el uso indebido y la adicción de opioides"
    ),
    "nida_comorbidity_es": (
        "NIDA en español: 'Comorbilidad: los trastornos por consumo de drogas y otras "
        "enfermedades mentales'"
    ),
    "medlineplus_nas_es": "MedlinePlus en español: Síndrome de abstinencia neonatal",
}

# Where a reviewer finds each source: an address seen while writing the answers,
# or the document's title and publisher where no address was checked.
WHERE: dict[str, str] = {
    "center": "The center's website: 'Can You Recover From a Heroin Addiction?'",
    "dea": "dea.gov, Drug Fact Sheet: Heroin",
    "nida": (
        "nida.nih.gov: Heroin DrugFacts; Heroin Research Report; Principles of Drug "
        "Addiction Treatment: A Research-Based Guide (third edition)"
    ),
    "cdc": "cdc.gov/overdose-prevention",
    "cdc_xylazine": "cdc.gov, 'What You Should Know About Xylazine' (CDC Injury Center)",
    "cdc_fentanyl_test_strips": "cdc.gov, 'Fentanyl Test Strips: A Harm Reduction Strategy'",
    "samhsa": ("samhsa.gov: Medications for Substance Use Disorders; Waiver Elimination (MAT Act)"),
    "samhsa_overdose_toolkit": (
        "SAMHSA publication PEP23-03-00-001, store.samhsa.gov (2025 update of the "
        "Overdose Prevention and Response Toolkit)"
    ),
    "samhsa_part8": (
        "Federal Register 89 FR 7528, document 2024-01693 (Feb. 2, 2024); samhsa.gov "
        "'42 CFR Part 8 Final Rule', its 'Table of Changes' and 'Frequently Asked Questions'"
    ),
    "lifeline_988": "https://988lifeline.org/get-help/what-to-expect",
    "fda": "fda.gov: OTC approval of Narcan nasal spray (March 2023); drug labels",
    "fda_label": (
        "VIVITROL prescribing information, section 5.1 'Vulnerability to Opioid "
        "Overdose' (DailyMed, openFDA drug label)"
    ),
    "fda_benzodiazepines": (
        "https://www.fda.gov/Drugs/DrugSafety/ucm518473.htm (2016-08-31); "
        "fda.gov Drug Safety Communication 2020-09-23, 'FDA requiring Boxed Warning "
        "updated to improve safe use of benzodiazepine drug class'"
    ),
    "medlineplus": "https://medlineplus.gov/ency/article/000949.htm",
    "medlineplus_alcohol": (
        "medlineplus.gov: 'Alcohol withdrawal'; "
        "https://medlineplus.gov/ency/article/000766.htm (Delirium tremens)"
    ),
    "medlineplus_emergency": "medlineplus.gov: 'Recognizing medical emergencies'",
    "asam_fentanyl": "Journal of Addiction Medicine, July 2023, doi:10.1097/ADM.0000000000001202",
    "mass_good_samaritan": (
        "mass.gov, DPH 'Make the Right Call' campaign; "
        "Massachusetts General Laws chapter 94C, section 34A"
    ),
    "mass_text_911": "mass.gov, State 911 Department: Text to 911",
    "privacy_notice": "PRIVACY.md in this repository",
    "this_project": "README.md in this repository",
    "center_facts": (
        "domain.yml, the center's facts beside the helpline (slots center_address, "
        "center_hours, helpline_hours, first_day_schedule, what_to_bring, phone_policy, "
        "visiting_rules), read through center/facts.py; empty until the center gives them"
    ),
    "fda_xylazine": (
        "fda.gov, 'FDA alerts health care professionals of risks to patients exposed to "
        "xylazine in illicit drugs' (2022-11-08) and its letter, fda.gov/media/162981/download"
    ),
    "fda_lofexidine": (
        "fda.gov news release 2018-05-16, 'FDA approves the first non-opioid treatment for "
        "management of opioid withdrawal symptoms in adults'"
    ),
    "samhsa_tip43": (
        "SAMHSA TIP 43 (2005), chapter 9 'Drug Testing as a Tool', "
        "ncbi.nlm.nih.gov/books/n/tip43/A83252 (NCBI Bookshelf)"
    ),
    "samhsa_workplace": (
        "Federal Register 90 FR 4662 (2025-01-16) and 91 FR 12308 (2026-03-13), 'Mandatory "
        "Guidelines for Federal Workplace Drug Testing Programs - Authorized Testing Panels'; "
        "samhsa.gov/workplace, Medical Review Officer Guidance Manual"
    ),
    "acog_pregnancy": (
        "acog.org, Committee Opinion No. 711 (August 2017, reaffirmed 2021), 'Opioid Use and "
        "Opioid Use Disorder in Pregnancy'; also at asam.org"
    ),
    "nida_comorbidity": (
        "nida.nih.gov, 'Common Comorbidities with Substance Use Disorders Research Report' "
        "(revised April 2020), Part 1"
    ),
    "samhsa_co_occurring": (
        "SAMHSA Advisory (2021), 'Substance Use Disorder Treatment for People With "
        "Co-Occurring Disorders', based on TIP 42; store.samhsa.gov"
    ),
    "cfr_part2": (
        "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2 "
        "(as amended 89 FR 12472, Feb. 16, 2024): sections 2.12, 2.22, 2.31, 2.51, subpart E"
    ),
    "mass_section35": (
        "https://www.mass.gov/info-details/section-35-the-process; "
        "https://www.mass.gov/how-to/file-a-section-35-petition; "
        "https://www.mass.gov/video/guide-to-the-section-35-process"
    ),
    "na": (
        "na.org: 'Information about NA', IP No. 1 'Who, What, How, and Why', "
        "IP No. 11 'Sponsorship'; meetings at na.org/meetingsearch"
    ),
    "smart_recovery": (
        "https://www.smartrecovery.org/individuals/ (4-Point Program, meetings, "
        "SMART and other recovery groups) and SMART Recovery's 'About' page (its approach, "
        "including prescribed medication)"
    ),
    "samhsa_recovery_housing": (
        "SAMHSA, 'Best Practices for Recovery Housing' (2023, PEP23-10-00-002) and "
        "'Recovery Housing: Best Practices and Suggested Minimum Guidelines' (2018): "
        "SAMHSA's definition of recovery housing"
    ),
    "mash_sober_homes": (
        "https://mashsoberhousing.org/certification/ and .../certification/ma-sober-homes-law/ "
        "(M.G.L. c.17, s.18A; Acts of 2014 c.165 s.37)"
    ),
    "learn_to_cope": "https://learn2cope.org/about/our-story/",
    "nar_anon": "https://www.nar-anon.org/united-states/ (mission statement)",
    "samhsa_craft": (
        "SAMHSA National Registry of Evidence-based Programs and Practices (NREPP), "
        "intervention summary 378: Community Reinforcement and Family Training (CRAFT)"
    ),
    "cdc_naloxone_es": (
        "https://www.cdc.gov/stop-overdose/es/caring/la-naloxona-y-su-poder-de-salvar-vidas.html; "
        "https://www.cdc.gov/stop-overdose/es/response/"
        "que-hacer-si-cree-que-alguien-tiene-una-sobredosis.html"
    ),
    "samhsa_overdose_toolkit_es": (
        "SAMHSA publication SMA18-4742SPANISH, store.samhsa.gov: 'Manual de instrucción de "
        "SAMHSA para la prevención de sobredosis de opioides' (Spanish edition of the 2018 "
        "toolkit): 'Cinco pasos esenciales' and 'Asesoramiento de seguridad para pacientes y "
        "familiares'"
    ),
    "nida_relapse_es": (
        "easyread.drugabuse.gov/es, '¿Qué es una recaída?' (NIDA, lectura fácil); "
        "drugabuse.gov/es/publicaciones/las-drogas-el-cerebro-y-el-comportamiento-la-ciencia-"
        "de-la-adiccion/tratamiento-y-recuperacion"
    ),
    "hhs_part2_es": (
        "https://www.hhs.gov/es/hipaa/for-professionals/regulatory-initiatives/"
        "fact-sheet-42-cfr-part-2-final-rule/index.html (2024-02-08) and the HHS news release "
        "of the same day, hhs.gov/es/about/news/2024/02/08/"
    ),
    "nida_es": (
        "https://nida.nih.gov/es/publicaciones/drugfacts/la-heroina; 'La heroína - Reporte de "
        "investigación', nida.nih.gov/es/publicaciones/serie-de-reportes/la-heroina (its pages "
        "'¿Cuáles son los efectos a largo plazo del consumo de heroína?' and '¿Cuáles son los "
        "tratamientos para el trastorno por consumo de heroína?'); NIDA, 'Principios de "
        "tratamientos para la drogadicción: Una guía basada en las investigaciones'"
    ),
    "medlineplus_es": "https://medlineplus.gov/spanish/ency/article/000949.htm",
    "medlineplus_alcohol_es": (
        "medlineplus.gov/spanish: 'Abstinencia alcohólica'; "
        "https://medlineplus.gov/spanish/ency/article/000766.htm (Delirium tremens)"
    ),
    "cdc_xylazine_es": (
        "https://www.cdc.gov/overdose-prevention/es/about/lo-que-debe-saber-sobre-la-xilacina.html"
    ),
    "nida_medications_es": (
        "https://nida.nih.gov/es/publicaciones/serie-de-reportes/medicamentos-para-el-"
        "tratamiento-del-trastorno-por-consumo-de-opioides/como-actuan-los-medicamentos-para-"
        "tratar-la-dependencia-de-los (metadona, buprenorfina, naltrexona: cómo actúan)"
    ),
    "medlineplus_opioid_treatment_es": (
        "MedlinePlus en español (U.S. National Library of Medicine), 'Tratamiento para el uso "
        "indebido y la adicción de opioides', medlineplus.gov/spanish (address not checked; "
        "its text read where republished with credit to MedlinePlus): the three medicines, "
        "'not replacing one addiction with another', naltrexone after 7 to 10 days free of opioids"
    ),
    "nida_comorbidity_es": (
        "NIDA, DrugFacts en español 'Comorbilidad: los trastornos por consumo de drogas y otras "
        "enfermedades mentales', nida.nih.gov/es (address not checked; its text read where "
        "republished with credit to NIDA)"
    ),
    "medlineplus_nas_es": "https://medlineplus.gov/spanish/ency/article/007313.htm",
}
