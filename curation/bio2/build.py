"""Build bio2 staging CSVs (source: biography, lines 3051-6112)."""
import csv
from pathlib import Path

OUT = Path(__file__).resolve().parent
S = "biography"

ENTITIES = [
    # entity_id, name, kind, parent, country, aliases, founded, founded_source, founded_line, description
    ("alibaba_entrepreneurs_fund", "Alibaba Entrepreneurs Fund", "program", "alibaba_group", "China", "AEF",
     "2015", S, "3147", "Alibaba-backed vehicle that gives capital and mentoring to young founders, chiefly in Hong Kong and Taiwan."),
    ("antchain", "AntChain", "product", "ant_group", "China", "Ant Blockchain",
     "2020", S, "3576", "Ant Group's blockchain-as-a-service offering for supply-chain finance, identity checks and cross-border payments."),
    ("african_netpreneur_prize", "Africa Netpreneur Prize", "program", "jack_ma_foundation", "", "African Netpreneur Prize;Africa's Business Heroes",
     "2019", S, "4073", "Pan-African contest run with Jack Ma's philanthropy that awards money and mentoring to local entrepreneurs."),
    ("pipl", "Personal Information Protection Law", "law", "", "China", "PIPL",
     "", "", "", "China's national statute on the handling and protection of personal data."),
    ("sse", "Shanghai Stock Exchange", "exchange", "", "China", "SSE;STAR Market",
     "", "", "", "Mainland exchange on which Ant Group's A-share half of the 2020 dual listing was due to trade."),
]

E = []  # event rows
def ev(slug, date, entity, theme, title, desc, line, disputed=False, note=""):
    E.append({"event_id": f"bio2-{slug}", "date": date, "entity": entity, "theme": theme, "title": title,
              "description": desc, "source": S, "line": line, "disputed": "true" if disputed else "false", "note": note})

# --- R&D, start-up support, diversification (ch. 10-11)
ev("damo-launch", "2017", "damo_academy", "cloud_ai", "DAMO Academy set up",
   "The book dates Alibaba's group-wide research arm, DAMO, to 2017, with labs in China, the US, Russia, Israel and Singapore.", 3083)
ev("aef-launch", "2015", "alibaba_entrepreneurs_fund", "culture", "Entrepreneurs Fund launched",
   "Alibaba starts a fund offering seed money and mentoring to young founders, aimed mainly at Hong Kong and Taiwan.", 3147,
   note="Same 2015 date repeated at 4409 and 5269.")
ev("cloud-launch", "2009", "alibaba_cloud", "cloud_ai", "Aliyun goes live",
   "Alibaba's cloud unit starts operating, first to carry the group's own traffic and later sold to outside customers.", 3226,
   note="Also dated 2009 at 5181.")
ev("cloud-abroad", "2015", "alibaba_cloud", "global", "Cloud begins going overseas",
   "According to the book, by 2015 Alibaba Cloud had begun to expand outside China, later reaching Southeast Asia, Europe, the Middle East and the US.", 3229)
ev("cainiao-founded", "2013", "cainiao", "logistics", "Cainiao logistics network formed",
   "Alibaba creates Cainiao as a data-driven logistics platform that coordinates third-party couriers rather than running its own fleet.", 3250,
   note="Founding year restated at 3290 and 3296.")
ev("chinavision-acq", "2014", "alibaba_pictures", "business_model", "ChinaVision bought, becomes Alibaba Pictures",
   "Alibaba takes over the film company ChinaVision Media and renames it Alibaba Pictures to enter China's entertainment market.", 3262,
   note="Outside record: Alibaba bought a controlling stake (about 60%) in 2014.")
ev("pictures-established", "2014", "alibaba_pictures", "history", "Alibaba Pictures founded",
   "The book says the film arm was created in 2014 as a group subsidiary to finance, make and distribute movies.", 3384,
   note="Same year as the ChinaVision purchase at 3262; this line frames it as a founding rather than an acquisition.")
ev("youku-acq", "2015", "youku", "business_model", "Youku Tudou acquired",
   "The book places Alibaba's takeover of the Youku Tudou video platform in 2015, moving the group into streaming media.", 3263,
   note="Outside record: the buyout offer came in late 2015 and closed in 2016.")
ev("mermaid", "2016", "alibaba_pictures", "business_model", "The Mermaid box-office hit",
   "The book credits Alibaba Pictures with Stephen Chow's 2016 record-breaking film The Mermaid.", 3413,
   note="Named film credits in this source are unconfirmed; Alibaba Pictures' role is not checked against filings.")
ev("kungfu-yoga", "2017", "alibaba_pictures", "global", "Kung Fu Yoga release",
   "The book lists the 2017 Jackie Chan film Kung Fu Yoga as an Alibaba Pictures collaboration aimed at Chinese and Indian audiences.", 3414,
   note="Unconfirmed credit; treat as the biographer's claim.")
ev("ready-player-one", "2018", "alibaba_pictures", "global", "Ready Player One tie-up",
   "Per the book, Alibaba Pictures worked with Spielberg's Amblin Partners on the 2018 film Ready Player One.", 3417,
   note="Outside record: Alibaba Pictures bought a minority stake in Amblin Partners in 2016; a co-producer role on this film is not confirmed.")
ev("eleme-acq", "2018", "eleme", "competition", "Ele.me taken over",
   "Alibaba acquires the food-delivery app Ele.me, making it the base of its local-services and online-to-offline push.", 3471)
# --- Ant / Alipay
ev("alipay-launch", "2004", "alipay", "fintech", "Alipay created",
   "Alibaba builds Alipay as an escrow-style payment tool that holds a buyer's money until the goods arrive.", 3541,
   note="2004 repeated at 5011, 5063 and 5963 (the last calls it Ant's first product).")
ev("ant-rename", "2014", "ant_group", "fintech", "Alipay rebranded Ant Financial",
   "The book says that in 2014 Alibaba renamed Alipay as Ant Financial to signal a move from payments into broader finance.", 3556, True,
   "Alipay kept its name: Ant Financial was formed in 2014 as its parent. The book also calls Ant an Alibaba subsidiary (3537), though Alipay had left the group in 2011 and 4637 calls Alibaba a major shareholder.")
ev("antchain-launch", "2020", "antchain", "fintech", "AntChain launched",
   "Ant introduces AntChain, a blockchain service for supply-chain finance, identity verification and cross-border payments.", 3576,
   note="Outside record: Ant's blockchain unit existed earlier and took the AntChain name in 2020.")
ev("ant-ipo-plan", "2020", "ant_group", "fintech", "Ant prepares record IPO",
   "Ant gets ready for a Shanghai and Hong Kong listing meant to raise up to $34bn and beat Saudi Aramco's record.", 3582, True,
   "Inconsistent with the same book at 2616, which calls Alibaba's 2014 $25bn float still unbeaten; outside record: Aramco's 2019 IPO (about $29bn) held the record, so this line is the consistent one.")
ev("ant-ipo-suspended", "2020", "ant_group", "regulation", "Regulators halt Ant listing",
   "Days before trading was due, Chinese authorities suspended Ant's offering over its lending, thin oversight and fast-growing online finance.", 3584,
   note="Line 3586 carries the text; the halt is restated at 4492 and 5988.")
ev("ant-probe-restructure", "2020", "ant_group", "regulation", "Ant probed and told to restructure",
   "After the halt, officials investigate Ant's lending and use of consumer data and order it to reorganise under bank-style capital and consumer rules.", 4563,
   note="The book later (4626) says Ant had to become a financial holding company; outside record puts the formal restructuring orders in late 2020 and April 2021.")
ev("alibaba-shares-fall", "2020", "alibaba_group", "regulation", "Alibaba stock drops",
   "The book says Alibaba's share price fell sharply once Ant's flotation was suspended.", 4496,
   note="Repeated at 4564 and 4637 without a figure.")
# --- Speeches and global role (ch. 12)
ev("davos-2017", "2017", "jack_ma", "global", "Davos talk on small firms",
   "At the 2017 World Economic Forum Ma argues that technology-enabled small businesses are the future of job creation.", 3695)
ev("davos-2018", "2018", "jack_ma", "global", "Davos warning on trade retreat",
   "At Davos in 2018 Ma urges leaders to keep trade open and warns that backing away from globalisation risks stagnation.", 3699,
   note="Same 2018 speech described again at 3793.")
ev("davos-2020", "2020", "jack_ma", "global", "Davos keynote on innovation",
   "The book has Ma giving a 2020 Davos keynote on using technology against poverty and environmental problems.", 3703,
   note="Not corroborated elsewhere in this dataset; treat as unconfirmed.")
ev("un-2017", "2017", "jack_ma", "global", "UN speech on SDGs",
   "The book says Ma addressed the UN General Assembly in 2017 on how e-commerce could speed the Sustainable Development Goals.", 3712,
   note="Unconfirmed venue; outside record: Ma was named a UN SDG advocate and UNCTAD adviser in 2016.")
ev("anniversary-18", "2017", "alibaba_group", "culture", "18th-anniversary speech",
   "At Alibaba's 18th-birthday event in 2017 Ma talks about big dreams, teamwork and AI that empowers small players.", 3735)
ev("obama-2015", "2015", "jack_ma", "global", "Meeting with Obama",
   "The book claims Ma met President Obama during a 2015 US visit and offered Alibaba as a channel for US small firms to export to China.", 3848, True,
   "Research notes flag this as unsourced; the widely reported pitch to help American small businesses sell into China was made to president-elect Trump in January 2017.")
# --- Philanthropy (ch. 13)
ev("jmf-2014", "2014", "jack_ma_foundation", "culture", "Jack Ma Foundation set up",
   "Ma creates a private charity focused on education, entrepreneurship and the environment, with stress on rural China.", 3934, True,
   "The same book dates the foundation to 2018 at 4256 and 5714; 2014 (also at 3973, 5305, 5409, 5603) matches the outside record.")
ev("jmf-2018", "2018", "jack_ma_foundation", "culture", "Foundation dated to 2018",
   "In its chapter on start-up support the book says Ma launched his foundation in 2018 to back young founders in developing countries.", 4256, True,
   "Contradicts the 2014 founding date the same book gives at 3934, 3973, 5305, 5409 and 5603; 2018 is repeated at 5714.")
ev("covid-aid", "2020", "jack_ma_foundation", "culture", "COVID-19 supply donations",
   "Ma and his foundation ship masks, test kits and protective gear to hard-hit countries in Africa, Europe and the US.", 3955,
   note="4181 puts recipients at over 100 countries.")
ev("health-code", "2020", "alipay", "culture", "Alipay Health Code",
   "During the 2020 outbreak Alipay's health-code tool was used by millions in China to show infection risk and travel eligibility.", 4182,
   note="Text at 4183; year taken from the section opening at 4179.")
ev("africa-tour-2017", "2017", "jack_ma", "global", "Africa tour",
   "Ma tours Africa in 2017, meeting officials, founders and teachers; the book names Kenya, South Africa and Nigeria.", 4055,
   note="5442 mentions only Kenya for the 2017 visit; itinerary unconfirmed (widely reported as Kenya and Rwanda).")
ev("african-entrepreneur-fund", "2018", "jack_ma_foundation", "global", "African founders fund announced",
   "The book says Ma announced an African Entrepreneur Fund under his foundation in 2018, giving grants and mentoring.", 4063,
   note="Possibly the same initiative as the Netpreneur Prize the book dates to 2019 (4073); outside record: the prize was announced in 2018.")
ev("netpreneur-prize", "2019", "african_netpreneur_prize", "global", "Africa Netpreneur Prize starts",
   "A continent-wide competition backed by Ma begins awarding funding and mentoring to African entrepreneurs.", 4073)
ev("green-earth-fund", "2019", "jack_ma_foundation", "culture", "Green Earth Action Fund",
   "The book says Ma's foundation launched a forest-protection and reforestation fund with international green groups in 2019.", 4115, True,
   "Research notes flag this fund as unsourced; no trace of it elsewhere.")
ev("ocean-2019", "2019", "jack_ma_foundation", "culture", "Foundation adds ocean work",
   "In 2019 the foundation is said to widen its environmental grants to marine research and plastic-waste reduction.", 4130,
   note="Unconfirmed.")
ev("sichuan-2008", "2008", "alibaba_group", "culture", "Sichuan quake relief",
   "After the 2008 earthquake Alibaba ran a national fundraising drive, took donations through Alipay and helped move relief goods.", 4153)
ev("tohoku-2011", "2011", "jack_ma", "culture", "Japan tsunami aid",
   "Following Japan's 2011 earthquake and tsunami, Ma is said to have given to the Japanese Red Cross and rallied staff donations.", 4160,
   note="Unconfirmed; no amount given.")
ev("new-school-2017", "2017", "jack_ma", "culture", "New School concept",
   "Ma unveils an idea for project-based schools built around creativity and entrepreneurship instead of exams.", 4305,
   note="Outside record: Ma and Alibaba partners opened the Yungu School in Hangzhou in 2017.")
# --- Ant IPO, antitrust, regulation (ch. 15)
ev("bund-speech", "2020-10", "jack_ma", "regulation", "Bund Summit speech",
   "At Shanghai's Bund Summit Ma attacks banking rules as outdated, saying the future cannot be governed with old methods.", 4606,
   note="The October 2020 speech is also cited at 4495 and 4562 as the trigger for the IPO halt.")
ev("samr-probe", "2020-12", "samr", "regulation", "SAMR opens antitrust case",
   "The market regulator formally investigates Alibaba over forcing merchants to pick it over rival platforms ('choose one of two').", 4552,
   note="4505 gives just 2020 for the start of the probe.")
ev("antitrust-fine", "2021-04", "alibaba_group", "regulation", "Record antitrust fine",
   "SAMR fines Alibaba about $2.8bn for exclusivity demands on merchants, the largest such penalty in China.", 4553,
   note="Also at 4505, which calls it the biggest fine ever on a Chinese tech firm; outside record: 18.2bn yuan, imposed 10 April 2021.")
ev("ma-reappears", "2021-01", "jack_ma", "culture", "Ma reappears on video",
   "After months out of sight, Ma surfaces in a video call with rural teachers, speaking only about education and his foundation.", 4515,
   note="4507 and 4638 say only that he resurfaced in 2021.")
ev("ma-apology", "2021", "jack_ma", "regulation", "Conciliatory return",
   "The book claims Ma came back in 2021 with an apology, admitting he should have been humbler toward regulators.", 4722, True,
   "No public apology is on record; the same book at 4515 describes his return as a teachers' video about education only.")
ev("ipo-suspended-nov", "2020-11", "ant_group", "regulation", "Ant IPO suspended",
   "In November 2020 regulators stop Ant's planned Shanghai and Hong Kong flotation just before listing day.", 4561,
   note="Restated at 4719 and 5988.")
ev("pipl-2020", "2020-11", "pipl", "regulation", "PIPL dated to 2020",
   "The book says China's GDPR-like personal data law was introduced in November 2020.", 4578, True,
   "Outside record: a draft was published in October 2020; the law was adopted in August 2021 and took effect on 1 November 2021.")
ev("ant-dual-listing", "2020-11", "ant_group", "fintech", "Dual listing set for November",
   "Ant lines up a Shanghai-Hong Kong listing for November 2020 at a reported $313bn valuation, raising $34bn.", 4600, True,
   "Calls it the largest IPO ever, topping Aramco; the same book at 2616 says Alibaba's 2014 float still held that record.")
ev("sse-postpones", "2020-11-03", "sse", "regulation", "Shanghai exchange postpones Ant",
   "The Shanghai bourse announces Ant's debut is postponed, and the CSRC says the delay follows regulatory changes.", 4616)
# --- Technology & supply chain (ch. 17)
ev("blockchain-trade", "2017", "alibaba_group", "cloud_ai", "Blockchain trade platform",
   "The book says Alibaba launched a blockchain and smart-contract platform in 2017 to verify and trace cross-border trade.", 5143,
   note="Unconfirmed; no product name given.")
ev("nmpa-2020", "2020", "alibaba_cloud", "cloud_ai", "AI imaging approval",
   "The book claims China's drug regulator cleared an Alibaba AI system for spotting early lung cancer on CT scans in 2020.", 5223, True,
   "Research notes flag this approval as unsourced.")
ev("alibaba-founded", "1999", "alibaba_group", "history", "Alibaba founded",
   "Ma starts Alibaba in 1999 when online shopping in China barely existed.", 5249,
   note="Repeated at 5587 and 5641.")
# --- Succession (ch. 18)
ev("ma-steps-down-chair", "2019", "jack_ma", "history", "Ma quits as chairman",
   "Ma gives up the chairmanship of Alibaba Group in 2019 to focus on philanthropy and other interests.", 5295)
ev("zhang-chair", "2019", "daniel_zhang", "history", "Zhang becomes chairman",
   "Daniel Zhang takes over from Ma as Alibaba's chairman in a planned handover.", 5297,
   note="Text at 5299; year from 5295.")
ev("ma-ceo-exit-2013", "2013", "jack_ma", "history", "Ma leaves CEO post",
   "Ma steps aside as chief executive in 2013 and stays on as executive chairman under a long-term succession plan.", 5357,
   note="5537 adds that he announced a gradual CEO handover in 2013.")
ev("zhang-ceo-2013", "2013", "daniel_zhang", "history", "Zhang named CEO (2013 version)",
   "This chapter says Daniel Zhang became the new CEO when Ma stepped back in 2013.", 5357, True,
   "Outside record: Jonathan Lu was CEO from 2013 to 2015; the same book at 5539 says Zhang was appointed CEO in 2015.")
ev("zhang-joins", "2007", "daniel_zhang", "history", "Zhang joins Alibaba",
   "Daniel Zhang, later CEO, joined Alibaba in 2007.", 5371)
ev("education-prize", "2017", "jack_ma", "culture", "Global education prize",
   "The book says Ma set up a Jack Ma Global Education Prize in 2017 for innovators in teaching.", 5438,
   note="Unconfirmed.")
ev("kenya-2017", "2017", "jack_ma", "global", "Kenya visit",
   "Visiting Kenya in 2017, Ma pledges support for young African founders and digital skills.", 5442,
   note="Same trip as 4055, which lists more countries.")
ev("ma-ceo-exit-2019", "2019-09", "jack_ma", "history", "Ma exits (as CEO, per book)",
   "This section says Ma stood down as Alibaba's CEO in September 2019.", 5533, True,
   "Ma left the CEO job in 2013 (same book 5357, 5537); in September 2019 he gave up the chairmanship, as 5295 says.")
ev("zhang-ceo-2015", "2015", "daniel_zhang", "history", "Zhang named CEO (2015 version)",
   "Zhang, then chief operating officer, is appointed chief executive in 2015.", 5539, True,
   "The same book at 5357 has Zhang succeeding Ma as CEO in 2013; 2015 matches the outside record.")
ev("ma-born", "1964", "jack_ma", "history", "Jack Ma born",
   "Ma is born in Hangzhou in 1964.", 5691)

M = []  # metric rows
def me(entity, metric, period, value, unit, scope, line, disputed=False, note=""):
    M.append({"entity": entity, "metric": metric, "period": period, "value": value, "unit": unit, "scope": scope,
              "source": S, "line": line, "disputed": "true" if disputed else "false", "note": note})

me("ant_group", "ipo_raised", "2020", 34000000000, "USD", "Shanghai and Hong Kong dual listing", 3582,
   note="Planned raise ('up to'); the offering was suspended and never completed.")
me("ant_group", "market_value", "2020", 34000000000, "USD", "Ant Group IPO", 4492, True,
   "The book calls $34bn the value of the offering ('valued at over'); 3582 and 4600 give $34bn as the amount to be raised, and 4600 a $313bn valuation. Source says 'over'.")
me("ant_group", "market_value", "2020-11", 313000000000, "USD", "Ant Group, expected at listing", 4600,
   note="Expected valuation before the halt; repeated at 4636.")
me("ant_group", "ipo_raised", "2020-11", 34000000000, "USD", "Shanghai and Hong Kong dual listing", 4600,
   note="Planned raise; repeated at 4618 as the suspended $34bn IPO.")
me("alibaba_group", "fine", "2021-04", 2800000000, "USD", "China, antitrust (SAMR)", 4553,
   note="Also at 4505. Outside record: 18.228bn yuan; the dollar figure is a conversion.")
me("jack_ma_foundation", "countries", "2020", 100, "count", "global, COVID-19 aid", 4181,
   note="Over 100 countries received masks and protective gear from the foundation.")
me("alibaba_cloud", "share_other", "2030", 1, "share", "Alibaba Cloud data centres", 4111, True,
   "Target share of renewable energy in data centres by 2030; research notes flag the pledge as unsourced, and the book gives no date for the commitment.")
me("cainiao", "delivery_days", "undated", 10, "days", "China, domestic parcels (before Cainiao)", 5137, True,
   "Average delivery time before Cainiao, 'over 10 days'; research notes flag the claim as unsourced.")
me("cainiao", "delivery_days", "undated", 3, "days", "China, domestic parcels (after Cainiao)", 5137, True,
   "Average delivery time after Cainiao's changes; unsourced claim, no year given.")
me("jack_ma", "count", "undated", 23, "count", "KFC job applicants in Hangzhou", 4823, True,
   "Other applicants the book says were turned down along with Ma; the same book at 1887 says 23 of 24 were hired and only Ma refused. Vintage: late 1980s.")
me("jack_ma", "count", "undated", 30, "count", "employers that rejected Ma", 4823,
   note="Companies that turned Ma down after university ('more than 30'); vintage late 1980s.")

def write(name, cols, rows):
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow(r)

ECOLS = ["entity_id", "name", "kind", "parent", "country", "aliases", "founded", "founded_source", "founded_line", "description"]
write("entities.csv", ECOLS, [dict(zip(ECOLS, e)) for e in ENTITIES])
write("events.csv", ["event_id", "date", "entity", "theme", "title", "description", "source", "line", "disputed", "note"], E)
write("metrics.csv", ["entity", "metric", "period", "value", "unit", "scope", "source", "line", "disputed", "note"], M)
ids = [e["event_id"] for e in E]
assert len(ids) == len(set(ids)), "duplicate event ids"
print(len(ENTITIES), "entities;", len(E), "events;", len(M), "metrics")
