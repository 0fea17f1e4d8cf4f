"""The sources curated answers may cite, by key.

Each answer in data/content/ names its sources by these keys in its response
metadata; the content lint checks that every key used is listed here, and the
content report prints the full titles for clinical reviewers.
"""

SOURCES: dict[str, str] = {
    "center": (
        "Lake Avenue Recovery, 'Can You Recover From a Heroin Addiction?' "
        "(the center's own article)"
    ),
    "dea": "U.S. Drug Enforcement Administration (DEA), Drug Fact Sheet: Heroin",
    "nida": "National Institute on Drug Abuse (NIDA), drugabuse.gov",
    "cdc": "Centers for Disease Control and Prevention (CDC), Opioid Overdose Prevention",
    "samhsa": "Substance Abuse and Mental Health Services Administration (SAMHSA)",
    "fda": "U.S. Food and Drug Administration (FDA)",
    "fda_label": "FDA prescribing information (label) for naltrexone / Vivitrol",
    "medlineplus": "MedlinePlus (U.S. National Library of Medicine), Opiate and opioid withdrawal",
    "privacy_notice": "This assistant's privacy notice (PRIVACY.md)",
    "this_project": "This assistant's own description (README.md)",
}
