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
}
