"""Build ``tab_identifiers.json``: invented documents in TAB's format (issue 13).

Every document below is invented; no real private person is named. Annotations are
written inline as ``[[surface|TYPE|KIND|entity]]`` (optionally ``|CONFIDENTIAL``), where
KIND is ``D`` (DIRECT), ``Q`` (QUASI) or ``N`` (NO_MASK) and ``entity`` groups co-referring
mentions. This script strips the markup, computes every offset from the surface strings,
checks each ``span_text`` against the text and writes the JSON. Never edit the JSON by
hand; run::

    python tests/data/tab_identifiers_build.py

Annotation conventions (following TAB's guidelines):

* PERSON: every private person's name is DIRECT.
* CODE: case / application numbers, record, insurance, passport, licence, account, card,
  IBAN, plate, ticket, order, invoice, policy, claim and staff numbers, phones, e-mails:
  DIRECT (each points at one person's file).
* DATETIME: dates that concern the person (birth, events of the case): QUASI.
* LOC: addresses, towns, countries where the person lives or acted: QUASI; the respondent
  State and generic jurisdictions: NO_MASK.
* ORG: employers, hospitals, schools, shops the person dealt with: QUASI; the Court, the
  Government, national ministries: NO_MASK.
* DEM: nationality, religion, ethnicity, occupation, age: QUASI.
* QUANTITY: salary, height, weight, number of children, sums awarded or owed: QUASI;
  prices of ordinary goods: NO_MASK.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("tab_identifiers.json")
TYPES = {"PERSON", "CODE", "LOC", "ORG", "DEM", "DATETIME", "QUANTITY", "MISC"}
KINDS = {"D": "DIRECT", "Q": "QUASI", "N": "NO_MASK"}
_MARK = re.compile(r"\[\[([^\[\]|]+)\|([A-Z]+)\|([DQN])\|(\w+)(?:\|([A-Z_]+))?\]\]")

DOCS: list[tuple[str, str, str]] = [
    # ------------------------------------------------------------------ ECHR-style judgments
    (
        "echr-01",
        "echr",
        """PROCEDURE

1. The case originated in an application ([[no. 36110/97|CODE|D|c1]]) against [[the United Kingdom|LOC|N|l0]] lodged with [[the European Commission of Human Rights|ORG|N|o0]] under former Article 25 of the Convention by a [[British|DEM|Q|d1]] national, [[Mr Tobias Wrenfield|PERSON|D|p1]] ("the applicant"), on [[2 June 1997|DATETIME|Q|t1]].

2. The applicant was represented by [[Ms Hedda Corrant|PERSON|D|p2]], a lawyer practising in [[Leeds|LOC|Q|l1]].

THE FACTS

3. The applicant was born in [[1961|DATETIME|Q|t2]] and lives in [[Harrogate|LOC|Q|l2]]. He worked as a [[long-distance lorry driver|DEM|Q|d2]] for [[Pellbridge Haulage Ltd|ORG|Q|o1]] until [[March 1995|DATETIME|Q|t3]].

4. On [[14 August 1995|DATETIME|Q|t4]] the applicant's vehicle, registration [[YK63 RZN|CODE|D|c2]], was stopped on the A64 near [[Malton|LOC|Q|l3]]. He was charged and the case was listed at [[Scarborough Magistrates' Court|ORG|Q|o2]] under reference [[SC/95/4471|CODE|D|c3]].

5. On [[9 January 1996|DATETIME|Q|t5]] he was fined [[£5,000|QUANTITY|Q|q1]]. [[Mr Wrenfield|PERSON|D|p1]] appealed; the appeal was dismissed on [[3 April 1996|DATETIME|Q|t6]].""",
    ),
    (
        "echr-02",
        "echr",
        """PROCEDURE

1. The case originated in an application ([[no. 48213/04|CODE|D|c1]]) against [[the Republic of Moldova|LOC|N|l0]] lodged with [[the Court|ORG|N|o0]] under Article 34 of the Convention by a [[Moldovan|DEM|Q|d1]] national, [[Mrs Ilinca Vartolomei|PERSON|D|p1]] ("the applicant"), on [[19 November 2004|DATETIME|Q|t1]].

THE FACTS

2. The applicant, who was born on [[21 February 1972|DATETIME|Q|t2]], is a [[nurse|DEM|Q|d2]] and lives in [[Bălți|LOC|Q|l1]]. She is a member of [[the Seventh-day Adventist Church|DEM|Q|d3|BELIEF]] and the mother of [[three children|QUANTITY|Q|q1]].

3. From [[1998|DATETIME|Q|t3]] to [[2003|DATETIME|Q|t4]] she was employed at [[the Municipal Clinical Hospital No. 4|ORG|Q|o1]], earning [[2,300 lei|QUANTITY|Q|q2]] a month.

4. On [[12 May 2003|DATETIME|Q|t5]] the hospital dismissed her. Her claim, registered as case [[no. 2a-1187/03|CODE|D|c2]], was rejected by [[the Bălți Court of Appeal|ORG|Q|o2]] on [[30 September 2003|DATETIME|Q|t6]].

5. [[Mrs Vartolomei|PERSON|D|p1]] complained that her passport, no. [[A09182734|CODE|D|c3]], had been withheld by her former employer for [[four months|DATETIME|Q|t7]].""",
    ),
    (
        "echr-03",
        "echr",
        """PROCEDURE

1. The case originated in two applications (nos. [[52117/09|CODE|D|c1]] and [[6631/10|CODE|D|c2]]) against [[the Kingdom of Belgium|LOC|N|l0]] lodged by two [[Belgian|DEM|Q|d1]] nationals, [[Mr Aurèle Vandersloot|PERSON|D|p1]] and [[Mr Didier Pauwaert|PERSON|D|p2]], on [[4 September 2009|DATETIME|Q|t1]] and [[28 January 2010|DATETIME|Q|t2]] respectively.

2. [[The Belgian Government|ORG|N|o0]] were represented by their Agent.

THE FACTS

3. The first applicant was born in [[1958|DATETIME|Q|t3]] and lives in [[Namur|LOC|Q|l1]]; the second applicant was born in [[1964|DATETIME|Q|t4]] and lives in [[Liège|LOC|Q|l2]]. Both were [[police officers|DEM|Q|d2]] attached to [[the Namur federal police unit|ORG|Q|o1]].

4. On [[17/03/2008|DATETIME|Q|t5]] the first applicant was arrested at his home, [[rue des Tanneurs 14, 5000 Namur|LOC|Q|l3]]. His car, a grey saloon with the plate [[1-ABC-234|CODE|D|c3]], was seized.

5. The investigating judge registered the file under number [[NA.55.L1.003127/08|CODE|D|c4]]. The second applicant, then aged [[44|DEM|Q|d3]], was questioned on [[18 March 2008|DATETIME|Q|t6]].""",
    ),
    (
        "echr-04",
        "echr",
        """PROCEDURE

1. The case originated in an application ([[no. 73904/12|CODE|D|c1]]) against [[Ukraine|LOC|N|l0]] lodged by a [[Ukrainian|DEM|Q|d1]] national of [[Crimean Tatar|DEM|Q|d2|ETHNIC]] origin, [[Mr Rustem Alimzhanov|PERSON|D|p1]], on [[6 November 2012|DATETIME|Q|t1]].

THE FACTS

2. The applicant was born in [[1983|DATETIME|Q|t2]] and lives in [[Dnipro|LOC|Q|l1]]. He is a [[Muslim|DEM|Q|d3|BELIEF]] and works as an [[imam|DEM|Q|d4]] at a mosque in [[the Chechelivskyi district|LOC|Q|l2]].

3. On the night of [[3 to 4 March 2011|DATETIME|Q|t3]] police officers searched his flat. They seized a laptop and documents, including his internal passport no. [[EK 418203|CODE|D|c2]].

4. He was detained for [[72 hours|DATETIME|Q|t4]]. The criminal case, no. [[12011040650000317|CODE|D|c3]], was discontinued on [[25 July 2011|DATETIME|Q|t5]].

5. The applicant, who is [[1.91 m|QUANTITY|Q|q1]] tall and weighed [[96 kg|QUANTITY|Q|q2]] at the time, alleged that he had been beaten.""",
    ),
    # ----------------------------------------------------------------------- clinical letters
    (
        "clin-01",
        "clinical",
        """[[Harwick General Hospital|ORG|Q|o1]] - Department of Cardiology
[[14 Beacon Road, Harwick HW3 9QT|LOC|Q|l1]]

Re: [[Mrs Philippa Oldacre|PERSON|D|p1]]   DOB [[03/07/1985|DATETIME|Q|t1]]   MRN [[H0048213|CODE|D|c1]]   NHS No. [[609 139 0996|CODE|D|c2]]

Dear [[Dr Anand|PERSON|D|p2]],

I reviewed [[Mrs Oldacre|PERSON|D|p1]] in clinic on [[11 October 2023|DATETIME|Q|t2]]. She is a [[39-year-old|DEM|Q|d1]] [[primary school teacher|DEM|Q|d2]] with palpitations since [[August|DATETIME|Q|t3]]. She weighs [[71 kg|QUANTITY|Q|q1]] and has [[two children|QUANTITY|Q|q2]].

A 24-hour tape showed runs of atrial flutter. I have listed her for ablation on [[22/11/2023|DATETIME|Q|t4]]. Please call her on [[07700 900461|CODE|D|c3]] if there is a cancellation.

Yours sincerely,
[[Dr Miriam Calloway|PERSON|D|p3]], Consultant Cardiologist""",
    ),
    (
        "clin-02",
        "clinical",
        """DISCHARGE SUMMARY
Patient: [[Gregor Hallström|PERSON|D|p1]]
Date of birth: [[14 May 1979|DATETIME|Q|t1]]
Medical record number: [[MRN-7730412|CODE|D|c1]]
Admitted: [[2024-02-03|DATETIME|Q|t2]]  Discharged: [[2024-02-09|DATETIME|Q|t3]]
Ward: [[Linden Ward|ORG|Q|o2]], [[St Osric's Hospital|ORG|Q|o1]], [[Norwich|LOC|Q|l1]]

[[Mr Hallström|PERSON|D|p1]] is a [[Swedish|DEM|Q|d1]] [[offshore engineer|DEM|Q|d2]] who was admitted with community-acquired pneumonia. He is [[183 cm|QUANTITY|Q|q1]] tall. His wife, [[Ebba Hallström|PERSON|D|p2]], can be reached on [[+44 7700 900512|CODE|D|c2]].

Insurance policy no. [[BPA-55019-XK|CODE|D|c3]] was verified on admission. Follow-up in respiratory clinic in [[six weeks|DATETIME|Q|t4]].

Signed: [[Dr Leontyne Obi|PERSON|D|p3]], [[3 June 2024|DATETIME|N|t5]]""",
    ),
    (
        "clin-03",
        "clinical",
        """Clinic letter - [[Eastgate Memory Service|ORG|Q|o1]]

Patient name: [[Arthur Penhaligon|PERSON|D|p1]]   d.o.b. [[12.09.1941|DATETIME|Q|t1]]
Hospital no. [[RX4471930|CODE|D|c1]]   NHS number [[907 866 6617|CODE|D|c2]]
Address: [[Flat 2, 9 Quarry Lane, Truro TR1 2AB|LOC|Q|l1]]

[[Mr Penhaligon|PERSON|D|p1]], aged [[82|DEM|Q|d1]], a retired [[harbour master|DEM|Q|d2]] from [[Falmouth|LOC|Q|l2]], attended with his daughter [[Mrs Keziah Rowe|PERSON|D|p2]] on [[Monday 4 March 2024|DATETIME|Q|t2]].

He is a widower and lives alone. He has given up driving and returned his licence ([[PENHA409121AR9XY|CODE|D|c3]]) to the DVLA. His MMSE score was 23/30.

His daughter's telephone number is [[(01872) 555 019|CODE|D|c4]]. We will review him in the [[spring|DATETIME|Q|t3]].""",
    ),
    (
        "clin-04",
        "clinical",
        """EMERGENCY DEPARTMENT NOTE - [[Riverside Medical Center|ORG|Q|o1]], [[Sacramento|LOC|Q|l1]], CA

Pt: [[Delphine Marchetti-Oyelaran|PERSON|D|p1]]  DOB: [[07/22/1990|DATETIME|Q|t1]]  MRN: [[40027715|CODE|D|c1]]
Arrived [[01/14/2024|DATETIME|Q|t2]] at 02:40 by ambulance.

HPI: [[33 y/o|DEM|Q|d1]] [[Filipino-American|DEM|Q|d2|ETHNIC]] [[pharmacist|DEM|Q|d3]], [[5 ft 4 in|QUANTITY|Q|q1]], [[128 lb|QUANTITY|Q|q2]], presenting after a fall from a ladder at [[home|LOC|N|l0]].

Contact: husband [[Kwame Oyelaran|PERSON|D|p2]], tel. [[555-123-4567|CODE|D|c2]]. Insurance member ID [[XGH492117803|CODE|D|c3]].
Driver license: [[D1234-56789|CODE|D|c4]] (CA).

Plan: CT head, observe 6 h. Discharged [[01/14/2024|DATETIME|Q|t2]] to follow up with [[Dr. Samuel Whitcombe|PERSON|D|p3]].""",
    ),
    # ------------------------------------------------------------------------------ HR files
    (
        "hr-01",
        "hr",
        """CONFIDENTIAL - PERSONNEL FILE
[[Corvane Logistics GmbH|ORG|Q|o1]], [[Hamburg|LOC|Q|l1]]

Employee: [[Jana Kowalczyk-Brandt|PERSON|D|p1]]
Employee ID: [[EMP-004471|CODE|D|c1]]
Date of birth: [[1988-11-30|DATETIME|Q|t1]]
Nationality: [[Polish|DEM|Q|d1]]
Position: [[Senior Warehouse Supervisor|DEM|Q|d2]]
Start date: [[1 April 2016|DATETIME|Q|t2]]
Annual salary: [[€58,400|QUANTITY|Q|q1]]
Bank account (IBAN): [[DE89 3704 0044 0532 0130 00|CODE|D|c2]]
Tax ID: [[65929970489|CODE|D|c3]]

Notes: On [[19 June 2023|DATETIME|Q|t3]] [[Ms Kowalczyk-Brandt|PERSON|D|p1]] requested [[12|QUANTITY|Q|q2]] weeks of unpaid leave to care for her father in [[Gdańsk|LOC|Q|l2]]. Approved by [[Holger Meint|PERSON|D|p2]] (HR) on [[23 June 2023|DATETIME|Q|t4]].""",
    ),
    (
        "hr-02",
        "hr",
        """Disciplinary hearing - outcome letter

Dear [[Mr Owusu-Danquah|PERSON|D|p1]],

Staff number: [[SN 22-9184|CODE|D|c1]]   National Insurance number: [[QQ 12 34 56 C|CODE|D|c2]]

Following the hearing held at our [[Croydon|LOC|Q|l1]] depot on [[Tuesday, 5 September 2023|DATETIME|Q|t1]], I write to confirm that you will receive a final written warning. You were represented by your union representative, [[Ms Aoife Brennan|PERSON|D|p2]] of [[Unite|ORG|Q|o2]].

The allegation concerned the company van [[LB19 XKE|CODE|D|c3]], which was recorded at [[98 mph|QUANTITY|Q|q1]] on the M23 on [[21/08/2023|DATETIME|Q|t2]].

You have the right to appeal within [[five working days|DATETIME|Q|t3]] by writing to [[hr.appeals@brightmoor-transport.co.uk|CODE|D|c4]].

[[Gareth Pellow|PERSON|D|p3]]
Operations Manager, [[Brightmoor Transport Ltd|ORG|Q|o1]]""",
    ),
    (
        "hr-03",
        "hr",
        """Reference request

[[Salvatore Ingrassia-Lunde|PERSON|D|p1]] worked for [[Quillon Software AS|ORG|Q|o1]] in [[Bergen|LOC|Q|l1]] from [[August 2017|DATETIME|Q|t1]] to [[January 2022|DATETIME|Q|t2]] as a [[data engineer|DEM|Q|d1]]. He is an [[Italian|DEM|Q|d2]] citizen, born [[3 March 1991|DATETIME|Q|t3]] in [[Palermo|LOC|Q|l2]], married with [[one child|QUANTITY|Q|q1]].

His final gross salary was [[NOK 742 000|QUANTITY|Q|q2]] a year. His Norwegian national identity number [[01129955131|CODE|D|c1]] and passport number [[YA3127895|CODE|D|c2]] are on file.

He may be contacted at [[+47 912 34 567|CODE|D|c3]] or [[salvo.il@posteo.example|CODE|D|c4]].

Regards,
[[Kristin Aasheim|PERSON|D|p2]], HR Business Partner""",
    ),
    (
        "hr-04",
        "hr",
        """Sickness absence record - [[Marlow & Teague LLP|ORG|Q|o1]]

Name: [[Bethany Okonkwo|PERSON|D|p1]]          Payroll ref: [[PR-0917-B|CODE|D|c1]]
Born: [[22nd January 1995|DATETIME|Q|t1]]        Age: [[28|DEM|Q|d1]]
Role: [[trainee solicitor|DEM|Q|d2]], [[Birmingham|LOC|Q|l1]] office
Religion (equal opportunities form): [[Christian|DEM|Q|d3|BELIEF]]

Absences in the year to [[31 March 2024|DATETIME|Q|t2]]:
- [[8-12 January 2024|DATETIME|Q|t3]]: influenza (self-certified)
- [[Feb 19, 2024|DATETIME|Q|t4]]: hospital appointment at [[Queen Elizabeth Hospital|ORG|Q|o2]]

Occupational health referral no. [[OH/2024/0332|CODE|D|c2]] was made by her supervisor, [[Priya Venkataraman|PERSON|D|p2]], on [[4 March 2024|DATETIME|Q|t5]].

Salary during absence: [[£2,450|QUANTITY|Q|q1]] per month, paid to account [[GB72 BARC 2003 5341 2345 67|CODE|D|c3]].""",
    ),
    # ------------------------------------------------------------------------ support tickets
    (
        "ticket-01",
        "support",
        """Ticket [[#INC-448210|CODE|D|c1]]  Priority: high
Opened: [[2024-05-17|DATETIME|Q|t1]] 09:12
Customer: [[Rosalind Feathersby|PERSON|D|p1]] (account no. [[AC77310945|CODE|D|c2]])

Customer writes: "Hi, I was charged twice for order [[ORD-2024-118734|CODE|D|c3]]. The card ending [[4012|CODE|D|c4]] shows two payments of [[£89.99|QUANTITY|N|q1]]. Please call me on [[020 7946 0831|CODE|D|c5]], I'm at home in [[Whitstable|LOC|Q|l1]] all day."

Agent [[Tomasz|PERSON|D|p2]]: Refunded the duplicate charge. Refund reference [[RF-90021377|CODE|D|c6]]. Told the customer it will take [[3-5 working days|DATETIME|N|t2]].""",
    ),
    (
        "ticket-02",
        "support",
        """Subject: Re: Ticket [[5521907|CODE|D|c5]] - cannot log in

From: [[hamish.macbeth-ure@fastmail.example|CODE|D|c1]]
Date: [[Thu, 6 Jun 2024|DATETIME|Q|t1]]

Hello, I am still locked out. My member number is [[M-00481273|CODE|D|c2]] and my username is [[hmu_1987|CODE|D|c3]]. I changed my phone to [[+44 7911 123456|CODE|D|c4]] last week, maybe that is why the codes don't arrive.

For verification: date of birth [[19/04/1987|DATETIME|Q|t2]], postcode [[IV2 3HX|LOC|Q|l1]].

Thanks,
[[Hamish Macbeth-Ure|PERSON|D|p1]]

--- Internal note ([[Sunita|PERSON|D|p2]]): ticket [[5521907|CODE|D|c5]] merged with [[5521544|CODE|D|c6]]. MFA reset done.""",
    ),
    (
        "ticket-03",
        "support",
        """Case [[CS-2024-03318|CODE|D|c1]] - warranty claim
Product: washing machine, model WM-8200, serial no. [[WM82A0031977|CODE|D|c2]]
Claim number: [[CLM 4471-0093|CODE|D|c3]]

Customer [[Mr. Emeka Adeyemi-Rhodes|PERSON|D|p1]] of [[41 Larch Crescent, Stockport SK4 2PL|LOC|Q|l1]] reports that the drum stopped on [[March 2nd|DATETIME|Q|t1]]. Purchased [[12 May 2022|DATETIME|Q|t2]] from [[Dunmore Electricals|ORG|Q|o1]], [[Stockport|LOC|Q|l2]], for [[£449|QUANTITY|N|q1]].

Engineer visit booked for [[Friday 8 March|DATETIME|Q|t3]] between 8 and 12. Customer mobile: [[07123 456789|CODE|D|c4]]. The customer uses a wheelchair; the engineer should use the side door.""",
    ),
    (
        "ticket-04",
        "support",
        """Chat transcript - session [[8f3k-22qp|CODE|D|c1]]

[[Lucía Ferreira Castaño|PERSON|D|p1]]: my bank transfer to you failed, I used IBAN
[[ES91 2100 0418|CODE|D|c2]]
[[4502 0005 1332|CODE|D|c2]]
is that right?
Agent: Let me check. Can you confirm your policy number?
[[Lucía Ferreira Castaño|PERSON|D|p1]]: policy [[HX-993-118-27|CODE|D|c3]], I live in [[Valencia|LOC|Q|l1]] since [[2019|DATETIME|Q|t1]]
Agent: Thanks. I also see a card payment attempt with [[5282 1993 5181|CODE|D|c4]]
[[9097|CODE|D|c4]] on [[April 3|DATETIME|Q|t2]] that was declined.
[[Lucía Ferreira Castaño|PERSON|D|p1]]: yes that was mine. I'm [[Spanish|DEM|Q|d1]] and my DNI is [[12345678Z|CODE|D|c5]] if you need it""",
    ),
    # -------------------------------------------------------------------------------- invoices
    (
        "invoice-01",
        "invoice",
        """INVOICE
[[Kestrel Joinery|ORG|Q|o1]], [[Unit 7, Millfield Estate, Kendal LA9 6RT|LOC|Q|l1]]
VAT reg. no. GB 980 7806 60

Invoice no.: [[INV-2024-0457|CODE|D|c1]]
Invoice date: [[15 April 2024|DATETIME|Q|t1]]
Customer ref: [[CUST-3312|CODE|D|c2]]

Bill to: [[Ms Winifred Castellane|PERSON|D|p1]], [[The Old Forge, Sedbergh LA10 5BE|LOC|Q|l2]]

Description                          Qty   Amount
Oak staircase, fitted                 1    £3,850.00
Handrail (pine)                       2    £240.00
Total due                                  [[£4,090.00|QUANTITY|Q|q1]]

Please pay within 30 days to sort code [[60-16-13|CODE|Q|c4]], account [[31926819|CODE|D|c3]], quoting [[INV-2024-0457|CODE|D|c1]].""",
    ),
    (
        "invoice-02",
        "invoice",
        """RECHNUNG / INVOICE

[[Fahrradhaus Lindqvist|ORG|Q|o1]], [[Bergmannstraße 12, 10961 Berlin|LOC|Q|l1]]
Rechnungsnummer: [[RE-24-10983|CODE|D|c1]]        Datum: [[05.06.2024|DATETIME|Q|t1]]
Kundennummer: [[K-550871|CODE|D|c2]]

Kunde: [[Dr. Matthias Oberreiter|PERSON|D|p1]], [[Kastanienallee 3, 10435 Berlin|LOC|Q|l2]]

1x E-Bike Trekking 28" Frame no. [[WAW2024K77105|CODE|D|c3]]   EUR 2.899,00
1x Helmet                                          EUR 79,00
Total                                              [[EUR 2.978,00|QUANTITY|Q|q1]]

Payment by SEPA direct debit from [[DE89 3704 0044 0532 0130 00|CODE|D|c4]], mandate reference [[MNDT-0045512|CODE|D|c5]].""",
    ),
    (
        "invoice-03",
        "invoice",
        """Order confirmation

Thank you for your order, [[Priscilla Dunwoody|PERSON|D|p1]]!

Order number: [[112-7730415-9921034|CODE|D|c1]]
Placed on: [[November 28, 2023|DATETIME|Q|t1]]
Ship to: [[2231 Maple Ridge Dr, Boise, ID 83706|LOC|Q|l1]]
Phone: [[(208) 555-0147|CODE|D|c2]]

Items: 3 x printer cartridges ([[$23.99|QUANTITY|N|q1]] each), 1 x desk lamp
Order total: [[$102.45|QUANTITY|Q|q2]]
Paid with Visa [[4526 0181 5908 3012|CODE|D|c3]]

Tracking ID: [[1Z999AA10123456784|CODE|D|c4]]. Expected delivery: [[Dec 2|DATETIME|Q|t2]].""",
    ),
    (
        "invoice-04",
        "invoice",
        """Statement of account - [[Glenrowan Veterinary Practice|ORG|Q|o1]]

Client: [[Mrs Oonagh Feeney|PERSON|D|p1]]      Client no. [[GV-10482|CODE|D|c1]]
Patient: "Biscuit" (Labrador, [[9 years|QUANTITY|N|q0]])
Address: [[12 Church View, Athlone, Co. Westmeath N37 X2T6|LOC|Q|l1]]

[[02/01/2024|DATETIME|Q|t1]]  Consultation            €55.00
[[16/01/2024|DATETIME|Q|t2]]  Dental, 3 extractions   €310.00
Balance owing: [[€365.00|QUANTITY|Q|q1]]

Invoice [[GVP-24-0088|CODE|D|c2]]. Payments to [[IE29 AIBK 9311 5212 3456 78|CODE|D|c3]]. Queries: [[090 647 2211|CODE|D|c4]].""",
    ),
    # ----------------------------------------------------------------------- police statements
    (
        "police-01",
        "police",
        """WITNESS STATEMENT
Crime reference: [[CR/0453/24|CODE|D|c1]]
Statement of: [[Nathaniel Quarshie|PERSON|D|p1]]
Age if under 18: over 18     Occupation: [[bus driver|DEM|Q|d1]]

On [[Saturday 20th January 2024|DATETIME|Q|t1]] at about 23:15 I was driving the number 47 bus along [[Albion Street|LOC|Q|l1]], [[Leeds|LOC|Q|l2]]. I saw a silver Ford Focus, registration [[BD51 SMR|CODE|D|c2]], mount the pavement outside [[the Horse and Trumpet pub|ORG|Q|o1]] and hit a man. The driver was a [[white|DEM|Q|d2|ETHNIC]] man, about [[30|DEM|Q|d3]], around [[six feet|QUANTITY|Q|q1]] tall, wearing a [[Leeds United|ORG|Q|o2]] shirt.

I can be contacted on [[07700 900123|CODE|D|c3]]. I am willing to attend court.

Signed: [[N. Quarshie|PERSON|D|p1]]   Witnessed by: [[PC 4471 Holloway|PERSON|D|p2]]""",
    ),
    (
        "police-02",
        "police",
        """INCIDENT REPORT - [[Maplewood Police Department|ORG|Q|o1]]
Report #: [[24-031877|CODE|D|c1]]
Date/time: [[03/09/2024|DATETIME|Q|t1]] 17:40

Complainant: [[Darnell Whitaker-Boone|PERSON|D|p1]], [[M|DEM|Q|d1]], DOB [[10/02/1976|DATETIME|Q|t2]]
Address: [[418 Cedar Hollow Rd, Maplewood, NJ 07040|LOC|Q|l1]]
Phone: [[973-555-0199|CODE|D|c2]]   DL#: [[W4471 30982 10762|CODE|D|c3]]

Narrative: Complainant states that his vehicle, a 2019 Honda Civic with New Jersey plate [[K47-LWP|CODE|D|c4]], was broken into while parked at [[Maplewood train station|LOC|Q|l2]]. Items stolen: laptop (value approx. [[$1,200|QUANTITY|Q|q1]]) and a wallet containing a passport, no. [[568104772|CODE|D|c5]].

Officer: [[Sgt. Renata Oduya|PERSON|D|p2]], badge [[3319|CODE|D|c6]]""",
    ),
    (
        "police-03",
        "police",
        """Protokoll / Statement (translated)
Aktenzeichen: [[412 Js 2281/23|CODE|D|c1]]

The witness, [[Mrs Henrike Albrecht-Sommer|PERSON|D|p1]], born on [[the 9th of October 1968|DATETIME|Q|t1]] in [[Kassel|LOC|Q|l1]], [[German|DEM|Q|d1]], [[retired schoolteacher|DEM|Q|d2]], resident at [[Wilhelmshöher Allee 201, 34119 Kassel|LOC|Q|l2]], states:

"On [[12 May|DATETIME|Q|t2]] a man rang at my door and said he was from [[Stadtwerke Kassel|ORG|Q|o1]]. He showed a badge with the number [[SWK-0093|CODE|D|c2]]. He was about [[50|DEM|Q|d3]] and spoke with a [[Turkish|DEM|Q|d4|ETHNIC]] accent. I gave him [[€800|QUANTITY|Q|q1]] in cash. His car had the registration [[KS-HA 4471|CODE|D|c3]]."

Mobile number of the witness: [[0151 23456789|CODE|D|c4]].""",
    ),
    (
        "police-04",
        "police",
        """Statement of [[Kieran Doyle-Mbeki|PERSON|D|p1]] (d.o.b. [[29-06-1999|DATETIME|Q|t1]]), [[student|DEM|Q|d1]] at [[Trinity Lane College|ORG|Q|o1]], taken at [[Galway|LOC|Q|l1]] Garda Station on [[14 February 2024|DATETIME|Q|t2]].

PULSE incident no. [[19948327|CODE|D|c1]].

"I live at [[Apartment 6, Dock Road, Galway|LOC|Q|l2]] with [[two other students|QUANTITY|Q|q1]]. On the evening of [[Feb. 13|DATETIME|Q|t3]] my bike was taken from the rack outside. It is a blue [[Raleigh|ORG|N|o2]] with frame number [[RAL77H20931|CODE|D|c2]]. I had bought it for [[€350|QUANTITY|Q|q2]] in [[September 2022|DATETIME|Q|t4]]. My PPS number is [[1234567T|CODE|D|c3]] and my phone is [[087 123 4567|CODE|D|c4]]."

Garda [[Siobhán Neary|PERSON|D|p2]], reg. no. [[G-20117|CODE|D|c5]]""",
    ),
]


def build_doc(doc_id: str, genre: str, marked: str) -> dict[str, object]:
    text_parts: list[str] = []
    mentions: list[dict[str, object]] = []
    pos = 0
    out_len = 0
    for k, m in enumerate(_MARK.finditer(marked)):
        before = marked[pos : m.start()]
        if "[[" in before or "]]" in before:
            raise ValueError(f"{doc_id}: malformed markup before offset {m.start()}")
        text_parts.append(before)
        out_len += len(before)
        surface, etype, kind, entity = m.group(1), m.group(2), m.group(3), m.group(4)
        if etype not in TYPES:
            raise ValueError(f"{doc_id}: unknown entity type {etype}")
        start = out_len
        text_parts.append(surface)
        out_len += len(surface)
        mentions.append(
            {
                "entity_type": etype,
                "entity_mention_id": f"{doc_id}_a1_em{k + 1}",
                "start_offset": start,
                "end_offset": out_len,
                "span_text": surface,
                "edit_type": "check",
                "identifier_type": KINDS[kind],
                "entity_id": f"{doc_id}_a1_{entity}",
                "confidential_status": m.group(5) or "NOT_CONFIDENTIAL",
            }
        )
        pos = m.end()
    rest = marked[pos:]
    if "[[" in rest or "]]" in rest:
        raise ValueError(f"{doc_id}: malformed markup at the end")
    text_parts.append(rest)
    text = "".join(text_parts)
    for mention in mentions:
        s, e = mention["start_offset"], mention["end_offset"]
        if not isinstance(s, int) or not isinstance(e, int) or text[s:e] != mention["span_text"]:
            raise ValueError(f"{doc_id}: offsets do not match span_text")
    return {
        "doc_id": doc_id,
        "text": text,
        "dataset_type": "test",
        "task": "Task: Annotate the document to anonymise the persons it is about",
        "meta": {"genre": genre, "source": "invented for Veil (issue 13); no real person"},
        "quality_checked": ["annotator1"],
        "annotations": {"annotator1": {"entity_mentions": mentions}},
    }


def build() -> list[dict[str, object]]:
    ids = [d[0] for d in DOCS]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate doc ids")
    return [build_doc(*d) for d in DOCS]


def main() -> int:
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(DOCS)} documents)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
