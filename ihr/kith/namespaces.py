"""Namespaces, OIDs and fixed strings of the KITH messages."""

from __future__ import annotations

from ihr.models.catalog import OID_HER, OID_HPR, OID_LOCAL, OID_NCRP, OID_NLK

NS_MSGHEAD = "http://www.kith.no/xmlstds/msghead/2006-05-24"
NS_APPREC = "http://www.kith.no/xmlstds/apprec/2004-11-21"
NS_REKVISISJON = "http://www.kith.no/xmlstds/rekvisisjon/2012-02-15"
NS_XMLDSIG = "http://www.w3.org/2000/09/xmldsig#"
# The formatting allowed in the anyType text elements (HITS 1155:2008, "Bruk av XHTML-formatering").
NS_XHTML = "http://www.w3.org/1999/xhtml"

MIG_MSGHEAD = "v1.2 2006-05-24"  # fixed by MsgHead-v1_2.xsd
MIG_APPREC = "1.0 2004-11-21"  # the default value in AppRec-v1.0.xsd
MIG_REKVISISJON = "v1.6 2012-02-15"  # as Rekvisisjon-v1.6.xsd and its examples write it

# Code lists (Volven), as OIDs.
OID_IDENT_TYPE = "2.16.578.1.12.4.1.1.9051"  # 9051 identifier types: HER, ENH, HPR, ...
OID_PERSON_IDENT_TYPE = "2.16.578.1.12.4.1.1.8116"  # 8116 person identifiers: FNR, DNR, HNR
OID_APPREC_ERROR = "2.16.578.1.12.4.1.1.8221"
OID_APPREC_STATUS = "2.16.578.1.12.4.1.1.8258"
OID_MSG_TYPE = "2.16.578.1.12.4.1.1.8279"
OID_SEX = "2.16.578.1.12.4.1.1.3101"  # 3101 kjønn: 1 mann, 2 kvinne
OID_ICPC2 = "2.16.578.1.12.4.1.1.7170"  # ICPC-2, for the referral diagnosis (HIS 1175 6.5)
OID_UNSPECIFIED_LAB = "2.16.578.1.12.4.1.1.8212"  # local codes (HIS 80821 4.4): S and OT always
OID_MATERIAL = "2.16.578.1.12.4.1.1.8351"  # 8351 Prøvemateriale
VOLVEN_OID_PREFIX = "2.16.578.1.12.4.1.1."  # + a Volven list number: 8209, 8210, 8274, ...

__all__ = [
    "MIG_APPREC",
    "MIG_MSGHEAD",
    "MIG_REKVISISJON",
    "NS_APPREC",
    "NS_MSGHEAD",
    "NS_REKVISISJON",
    "NS_XHTML",
    "NS_XMLDSIG",
    "OID_APPREC_ERROR",
    "OID_APPREC_STATUS",
    "OID_HER",
    "OID_HPR",
    "OID_ICPC2",
    "OID_IDENT_TYPE",
    "OID_LOCAL",
    "OID_MATERIAL",
    "OID_MSG_TYPE",
    "OID_NCRP",
    "OID_NLK",
    "OID_PERSON_IDENT_TYPE",
    "OID_SEX",
    "OID_UNSPECIFIED_LAB",
    "VOLVEN_OID_PREFIX",
]
