"""Build way1 staging CSVs (source alibaba_way, lines 1-1250). Run from anywhere."""
import csv
from pathlib import Path

OUT = Path(__file__).resolve().parent
SRC = "alibaba_way"
T, F = "true", "false"

ENTITIES = [
    # entity_id, name, kind, parent, country, aliases, founded, founded_source, founded_line, description
    ("alibaba_research_institute", "Alibaba Research Institute", "organization", "alibaba_group", "China",
     "Alibaba Research Center;AliResearch", "2007", SRC, "273",
     "Alibaba's in-house think tank; it supplied much of the data in The Alibaba Way."),
    ("alisoftware", "AliSoftware", "business_unit", "alibaba_group", "China", "Alisoft", "2007", SRC, "271",
     "Alibaba unit selling business software to small firms, set up in Hangzhou and Shanghai."),
    ("etao", "eTao", "platform", "taobao", "China", "", "", "", "",
     "Shopping search and comparison site spun out of Taobao; one of the 2012 business groups."),
    ("china_economy", "China's national economy", "market", "", "China", "national economy",
     "", "", "", "Framing figures for China as a whole: GDP growth, firm counts, incomes."),
    ("china_internet", "China's internet users", "market", "", "China", "netizens;internet population",
     "", "", "", "China's online population, the user base that e-commerce draws on."),
    ("us_economy", "US economy (comparison)", "market", "", "United States",
     "US small business;US e-commerce", "", "", "",
     "US figures the book sets beside Alibaba: small-firm counts, e-commerce shares, shopping days."),
]

EVENTS = [
    # slug, date, entity, theme, title, description, line, disputed, note
    ("research-tie-up", "2012-07", "alibaba_research_institute", "culture",
     "Author's research tie-up with Alibaba begins",
     "The book's author started working with Alibaba's research center by organizing a big-data forum; "
     "she later describes herself as a 'student' of the center, so the book is not independent of the firm.",
     169, F, ""),
    ("crocodile-film", "2013", "alibaba_group", "culture", "Documentary on Alibaba's first decade circulates",
     "A film by former Alibaba vice president Porter Erisman about the company's early years, "
     "Crocodile in the Yangtze, drew wide attention online in China in the second half of 2013.",
     185, F, ""),
    ("first-funding-2000", "2000", "alibaba_group", "history", "Goldman Sachs and SoftBank money arrives",
     "The book places Alibaba's early investment from Goldman Sachs and SoftBank in 2000.",
     185, T, "Outside record: the Goldman Sachs-led round closed in October 1999 and SoftBank's US$20 million "
     "in early 2000, so 2000 fits only the SoftBank part."),
    ("silicon-valley-move", "2000", "alibaba_group", "global", "Short-lived move of headquarters to Silicon Valley",
     "Flush with new capital, Ma tried relocating the headquarters to California to build a global firm; "
     "within months he pulled back and let the American staff go, which the book calls a failed experiment.",
     185, F, ""),
    ("f1-filing", "2014-05-06", "alibaba_group", "history", "F-1 filed with the SEC",
     "Alibaba submitted its F-1 registration statement to the US Securities and Exchange Commission "
     "as the first formal step toward a US listing.", 189, F, ""),
    ("nyse-listing", "2014-09-19", "alibaba_group", "history", "Alibaba lists on the NYSE",
     "Shares priced at US$68 began trading in New York and closed the first day at US$93.89.",
     189, F, ""),
    ("post-ipo-strategies", "2014-09-19", "alibaba_group", "global", "Three post-IPO growth strategies set",
     "After the listing the group named globalization, big data and rural e-commerce as its three long-term "
     "priorities, under the slogan of buying from and selling to the world.", 205, F, ""),
    ("costco-1111-2014", "2014-11-11", "tmall", "global", "Costco's Singles' Day sale via Tmall.hk",
     "Costco sold some 300 tonnes of dried fruit and nuts into China on the 2014 festival through the "
     "Tmall.hk import channel and then decided to open two stores in China.", 209, F, ""),
    ("singles-day-2014", "2014-11-11", "singles_day", "history", "Record 2014 Singles' Day",
     "The 2014 festival set a new one-day turnover record of 57.1 billion RMB (about US$9.3 billion), "
     "which the preface credits partly to AliCloud's capacity.", 211, F, ""),
    ("rural-plan-2014", "2014-10", "rural_taobao", "business_model", "Rural e-commerce initiative announced",
     "Alibaba announced a 10 billion RMB plan over three to five years to build county operation centres "
     "and village service stations so rural residents could shop and sell online.",
     213, T, "The book says 10,000 village stations; outside record: the October 2014 announcement "
     "spoke of 100,000 village-level stations."),
    ("bainiu-visit", "2015", "taobao_villages", "regulation", "Vice premier and Jack Ma visit Bainiu Village",
     "Vice Premier Wang Yang and Jack Ma both visited Bainiu, a Taobao village in Lin'an, Zhejiang, early in 2015.",
     219, F, ""),
    ("county-summit-bids-2015", "2015", "rural_taobao", "business_model", "Counties bid to host rural summit",
     "After a sold-out 2014 awards summit for the best Taobao counties, Alibaba ran a competition in 2015 "
     "to host the next one; 66 counties submitted proposals.", 221, F, ""),
    ("tonglu-summit", "2015-07-08", "rural_taobao", "business_model", "Second county e-commerce summit in Tonglu",
     "Tonglu County in Zhejiang, winner of the bidding, hosted a two-day county e-commerce summit with "
     "over 1,500 attendees; its hub-plus-village-stations approach was promoted as the Tonglu model.",
     223, F, ""),
    ("b2b-founded", "1999", "alibaba_com", "history", "B2B business set up",
     "The book dates the creation of Alibaba's business-to-business operation to 1999.", 271, F, ""),
    ("taobao-founded", "2003", "taobao", "history", "Taobao created",
     "Taobao is listed as created in 2003 in the book's summary of group milestones.", 271, F, ""),
    ("alipay-founded", "2004", "alipay", "fintech", "Alipay created",
     "The milestone list puts Alipay's creation in 2004.", 271, F, ""),
    ("yahoo-china-2005", "2005-10", "yahoo_china", "history", "Alibaba takes on Yahoo China",
     "The book says that in October 2005 Alibaba began working with Yahoo to set up China Yahoo.",
     271, T, "Outside record: Yahoo China already existed (launched 1999); in the August 2005 Yahoo deal "
     "Alibaba took over running it in exchange for Yahoo's stake, rather than setting it up jointly."),
    ("alisoftware-founded", "2007-01", "alisoftware", "history", "AliSoftware established",
     "AliSoftware was set up in January 2007 with offices in Hangzhou and Shanghai.", 271, F, ""),
    ("research-institute-founded", "2007-04", "alibaba_research_institute", "culture",
     "Alibaba research arm established",
     "The group's research institute, first called a research center, was founded in April 2007 "
     "to study how e-commerce reshapes trade.", 273, F, ""),
    ("tenth-anniversary", "2009", "jack_ma", "culture", "Tenth anniversary speech",
     "At the company's tenth anniversary Jack Ma said Alibaba's decade had been devoted to micro and small firms "
     "that others ignored.", 357, F, ""),
    ("lighthouse-report", "2011", "alibaba_research_institute", "culture", "Lighthouse study of 100 online businesses",
     "The research institute published 'Lighthouse', a collection of 100 case studies of successful "
     "internet businesses.", 404, F, ""),
    ("merchant-contest-start", "2004", "alibaba_group", "culture", "Annual top-merchant contest launched",
     "Alibaba began a yearly contest to pick the ten best e-commerce merchants, meant to give small "
     "entrepreneurs role models.", 420, F, ""),
    ("county-summit-2014", "2014-07-03", "rural_taobao", "business_model", "First county e-commerce summit",
     "Alibaba's Xixi campus in Hangzhou hosted the first summit on county economies and e-commerce, "
     "attended by close to 180 county leaders; a report on county-level online sellers was presented.",
     420, F, ""),
    ("county-ecommerce-spreads", "2010", "china_ecommerce", "business_model",
     "County e-commerce spreads beyond Jiangsu and Zhejiang",
     "From 2010 county-level online sellers multiplied quickly and, for the first time, Jiangsu and Zhejiang "
     "held under half of the total, with Hebei, Guangdong and Henan leading new growth.", 424, F, ""),
    ("china-suppliers-probe", "2009", "alibaba_com", "culture", "Probe into fraudulent China Supplier accounts",
     "Over 2009-2010 Alibaba examined thousands of suspect China Supplier members and found that nearly "
     "100 B2B sales staff had let doubtful firms on to meet targets; those staff were dismissed.",
     468, F, ""),
    ("b2b-executives-exit", "2010", "wei_zhe", "culture", "B2B chief executive and COO removed over fraud",
     "The book says the B2B unit's CEO Wei Zhe and COO Li Xuhui were fired as part of the fraud clean-up.",
     468, T, "Outside record: both resigned in February 2011; the same book later (line 504) calls Wei Zhe "
     "the former COO of the B2B business rather than its CEO."),
    ("merchant-contest-end", "2013", "alibaba_group", "culture", "Top-merchant contest dropped",
     "From 2013 Alibaba stopped holding its annual event that chose and celebrated outstanding online sellers.",
     514, F, ""),
    ("taobao-town-move", "2013", "alibaba_group", "history", "Move into Taobao Town campus",
     "In the second half of 2013 about 10,000 staff from Taobao, Tmall, eTao, the cloud unit and others moved "
     "into the new Xixi campus in west Hangzhou, built for 1.36 billion RMB.", 597, F, ""),
    ("group-founded", "1999", "alibaba_group", "history", "Alibaba founded",
     "A small group of young people pooled money in a Hangzhou apartment in 1999 to start the company.",
     609, F, ""),
    ("alipay-spinoff", "2004", "alipay", "fintech", "Alipay spun out of Taobao",
     "Alipay, first a unit inside Taobao, became an independent company in 2004 and went on to lead "
     "China's third-party payment market.", 623, F, ""),
    ("taobao-mall-spinoff", "2008", "tmall", "history", "Taobao Mall separated from Taobao",
     "The book says Taobao Mall was spun off from Taobao in 2008 and later renamed Tmall.",
     625, T, "Outside record: Taobao Mall was launched inside Taobao in 2008, became a separate company in "
     "2011 and took the Tmall name in 2012."),
    ("seven-business-groups", "2012-07", "alibaba_group", "history", "Group reorganized into seven business groups",
     "In July 2012 subsidiaries were regrouped into seven units: Taobao, eTao, Tmall, Juhuasuan, "
     "Alibaba International, Alibaba Small Business and Alibaba Cloud.", 689, F, ""),
    ("china-passes-japan", "2010", "china_economy", "global", "China becomes world's second-largest economy",
     "In 2010 China's economy overtook Japan's, ranking behind only the United States.", 711, F, ""),
    ("b2b-hk-listing", "2007", "alibaba_com", "history", "B2B unit lists in Hong Kong",
     "Alibaba's B2B company went public on the Hong Kong Stock Exchange in 2007, a fundraising the book "
     "calls a record for an internet firm at the time.", 735, F, ""),
    ("taobao-vs-ebay", "2003", "taobao", "competition", "Taobao launched against eBay EachNet",
     "Taobao started in 2003 as a consumer-to-consumer site facing the dominant eBay/EachNet; the book credits "
     "escrow payments, free listing and local focus for its eventual win.", 741, F, ""),
    ("greater-taobao", "2008-09", "taobao", "business_model", "Greater Taobao strategy launched",
     "In September 2008 the group started its 'greater Taobao' plan to join Taobao and Alibaba into one "
     "ecosystem, aiming to top Walmart's worldwide sales within a decade.", 752, F, ""),
    ("taobao-5bn-2010", "2010-01", "taobao", "business_model", "5 billion RMB pledged to Taobao",
     "In January 2010 the group said it would put 5 billion RMB into the Taobao platform over five years.",
     752, F, ""),
    ("split-25-units", "2013-01", "alibaba_group", "history", "Group split into 25 business units",
     "In January 2013 Jack Ma broke the group into 25 business units, the book's most extreme example of "
     "its habit of splitting off new businesses.", 756, F, ""),
    ("alipay-established-766", "2004", "alipay", "fintech", "Alipay's founding year restated",
     "The Alipay section again dates the service's establishment to 2004.", 766, F, ""),
    ("singles-day-2013", "2013-11-11", "singles_day", "history", "2013 Singles' Day sets new record",
     "Taobao and Tmall's 2013 festival day almost doubled the 2012 turnover, a milestone for online retail.",
     794, F, ""),
    ("vendor-training-2007", "2007-06", "taobao_university", "culture",
     "Vendors Training Department formed (June 2007 version)",
     "One passage dates the start of the Vendors Training Department, forerunner of Taobao University, to June 2007.",
     824, T, "The same chapter dates the forerunner to 2003 (lines 834 and 894)."),
    ("vendor-training-2003", "2003", "taobao_university", "culture",
     "Vendors Training Department formed (2003 version)",
     "Another passage says the training department that became Taobao University was announced in 2003.",
     834, T, "Line 824 gives June 2007 for the same founding."),
    ("vendor-training-2003b", "2003", "taobao_university", "culture", "Taobao University forerunner dated 2003 again",
     "The chapter repeats that the precursor of Taobao University was set up in 2003.",
     894, T, "Conflicts with June 2007 at line 824."),
    ("training-tour-2007", "2007", "taobao_university", "culture", "Offline training tour of 50 cities",
     "In 2007 the training department took top Taobao sellers on a road show through 50 Chinese cities; "
     "every session was full.", 842, F, ""),
    ("school-partnerships-2007", "2007", "taobao_university", "culture", "Taobao starts working with colleges",
     "From 2007 Taobao placed experienced trainers in colleges in Jiangsu and Zhejiang to give students "
     "hands-on e-commerce practice.", 852, F, ""),
    ("shocks-2008", "2008", "taobao", "logistics", "Snowstorm, earthquake and Olympics disrupt online sales",
     "In 2008 an early-year snowstorm, the May Wenchuan earthquake and an Olympic-period ban on air-freighting "
     "liquids hurt shipping and online sales.", 860, F, ""),
    ("online-training-2008", "2008", "taobao_university", "culture", "Training moves online",
     "Taobao University ended its offline courses in 2008 and launched a web-based curriculum.", 862, F, ""),
    ("college-bases-2009", "2009", "taobao_university", "culture", "Internship bases with 20 colleges",
     "In 2009 Taobao University set up internship bases with 20 colleges in the Jiangsu-Zhejiang-Shanghai area, "
     "with course credit granted.", 872, F, ""),
    ("mba-2010", "2010", "taobao_university", "culture", "E-commerce MBA launched",
     "Taobao University started an e-commerce MBA programme in 2010 for established sellers.", 882, F, ""),
    ("fees-2010", "2010", "taobao_university", "business_model", "Free training era ends",
     "In 2010 Taobao University began charging for part of its courses, shifting from cost centre to profit centre.",
     888, F, ""),
    ("double-million-plan", "2012", "jack_ma", "business_model", "Double-million vendor plan announced",
     "At a 2012 national e-commerce conference Ma promised fewer intermediaries and training for a million "
     "sellers each with over 1 million RMB in annual sales.", 1075, F, ""),
    ("taobao-self-reform-2013", "2013", "taobao", "regulation", "Taobao overhauls its platform rules",
     "In 2013 Taobao began reforming itself, loosening control of traffic and rules to curb ad-buying, "
     "price wars and search gaming, even though traffic was its main income.", 1105, F, ""),
    ("vendor-meeting-2013", "2013-07-17", "taobao", "business_model", "Closed-door meeting with Taobao sellers",
     "Several dozen typical Taobao sellers met in Hangzhou for two days to discuss marketing and open a "
     "channel to the vendor development department.", 1117, F, ""),
    ("appeals-channel-2013", "2013", "taobao", "regulation", "Appeals entryway opened for sellers",
     "In the second half of 2013 Taobao opened an appeals channel covering 12 types of misconduct, "
     "built with its standards department.", 1133, F, ""),
    ("vendor-authentication-2012", "2012", "taobao", "regulation", "Seller identity checks introduced",
     "Seller authentication, built on Alipay real-name checks, was proposed in 2012 and applied to all new "
     "sellers that year.", 1135, F, ""),
]

M = []  # entity, metric, period, value, unit, scope, line, disputed, note
def m(*row):
    M.append(row)

# Preface: IPO and 2015 updates
m("alibaba_group", "share_price", "2014-09-19", 68, "USD_per_share", "NYSE IPO price", 189, F, "offer price")
m("alibaba_group", "share_price", "2014-09-19", 93.89, "USD_per_share", "NYSE first-day close", 189, F, "")
m("alibaba_group", "market_value", "2014-09-19", 23.14e9, "USD", "global", 189, T,
  "Book gives US$23.14 billion as first-day market value; outside record: about US$231 billion at close, "
  "with proceeds near US$21.8 billion (US$25 billion with extra shares). Decimal slip and value/proceeds mix-up.")
m("alibaba_group", "ipo_raised", "2014-09", 25e9, "USD", "NYSE IPO incl. additional shares", 199, F,
  "Footnote calls it the 'value'; it is the offering size after the over-allotment, per Reuters 22 Sep 2014.")
m("alibaba_group", "count", "undated", 2e9, "count", "global", 207, F,
  "target: consumers worldwide the post-IPO ecosystem aims to serve (c. 2015)")
m("alibaba_group", "delivery_days", "undated", 72, "hours", "global", 207, F,
  "goal: 72-hour global delivery within the next decade (stated c. 2015)")
m("alibaba_group", "count", "undated", 4, "count", "cross-border", 207, F,
  "number of platforms in the cross-border ecosystem (AliExpress, Alibaba.com, Alipay ePass, Tmall.hk), c. 2015")
m("tmall", "amount_other", "2014-11-11", 300, "tonnes", "Costco via Tmall.hk", 209, F,
  "physical volume: tonnes of dried fruit and nuts Costco sold on the 2014 festival")
m("alibaba_cloud", "count", "undated", 17e6, "count", "Alibaba websites", 211, F,
  "people per minute AliCloud can support accessing Alibaba sites (c. 2015)")
m("singles_day", "gmv", "2014-11-11", 9.3e9, "USD", "Alibaba platforms", 211, F,
  "converted at the 3 Aug 2015 rate per the book")
m("singles_day", "gmv", "2014-11-11", 57.1e9, "CNY", "Alibaba platforms", 211, F, "")
m("alibaba_group", "market_share", "undated", 0.8, "share", "China e-commerce", 211, F,
  "share of China's e-commerce, stated c. 2015 without a base")
m("rural_taobao", "investment", "2014-10", 1.6e9, "USD", "rural China", 213, F, "over three to five years")
m("rural_taobao", "investment", "2014-10", 10e9, "CNY", "rural China", 213, F, "over three to five years")
m("rural_taobao", "stations", "2014-10", 1000, "count", "county-level operation centres (plan)", 213, F, "target")
m("rural_taobao", "stations", "2014-10", 10000, "count", "village service stations (plan)", 213, T,
  "Outside record: the October 2014 plan named 100,000 village stations, not 10,000.")
m("taobao_villages", "count", "2015", 1500, "count", "Bainiu Village population", 219, F, "residents")
m("taobao_villages", "merchants", "2015", 50, "count", "Bainiu Village", 219, F, "over 50 local online shops")
m("taobao_villages", "gmv", "2014", 30e6, "USD", "Bainiu Village online sales", 219, F, "over")
m("taobao_villages", "gmv", "2014", 200e6, "CNY", "Bainiu Village online sales", 219, F, "over")
m("taobao_villages", "amount_other", "2014", 226000, "CNY_per_person", "Bainiu Village", 219, T,
  "net income per head; implausible for a 1,500-person village whose whole online sales were about 200 million "
  "RMB; probably a unit or scope error")
m("china_economy", "amount_other", "2014", 9892, "CNY_per_person", "China (rural) national average", 219, F,
  "net income per head used as the comparison; matches the 2014 rural average")
m("taobao_villages", "share_other", "2014", 23, "ratio", "Bainiu Village vs national", 219, T,
  "'nearly 23 times' the national average income; rests on the doubtful 226,000 figure")
m("rural_taobao", "counties", "2015", 66, "count", "county summit bids", 221, F, "counties that bid to host the 2015 summit")
m("rural_taobao", "count", "2015-07-08", 1500, "count", "Tonglu summit", 223, F, "attendees, more than")
m("rural_taobao", "count", "2015", 408300, "count", "Tonglu County", 223, F, "residents, around")
m("rural_taobao", "stations", "2015", 183, "count", "Tonglu County villages", 225, F, "one service station per village")
m("rural_taobao", "count", "2015-06", 17, "count", "provinces covered", 231, F, "provinces with rural roll-out by end June 2015")
m("rural_taobao", "stations", "2015-06", 63, "count", "county operation centres", 233, F, "end of June 2015")
m("rural_taobao", "stations", "2015-06", 1803, "count", "village service stations", 233, F, "end of June 2015")
m("taobao", "count", "undated", 10e6, "count", "China", 237, F,
  "people enabled to do business online via Taobao, more than; c. 2015")

# Chapter 1
m("alibaba_group", "employees", "1999", 18, "count", "founding team", 269, F, "founders; year from lines 271/609")
m("alibaba_group", "amount_other", "1999", 500000, "CNY", "founding capital", 269, F, "start-up capital")
m("alibaba_group", "count", "undated", 12, "years", "company age", 269, T,
  "age as stated; line 512 says 14 years and the founding year 1999 puts the book's time at 2013-14")
m("alibaba_group", "employees", "undated", 35000, "count", "group", 269, F,
  "undated; 24,000 staff in 2012 per chapter 7, so likely 2014-15")
m("alibaba_group", "count", "undated", 102, "years", "corporate goal", 349, F, "target lifespan (to span three centuries)")
m("china_economy", "count", "1978", 348000, "count", "China", 299, F, "number of enterprises")
m("china_economy", "count", "1990", 7957800, "count", "China", 299, F, "number of enterprises")
m("china_economy", "count", "2013", 60623800, "count", "China", 299, F, "number of enterprises")
m("alibaba_group", "merchants", "undated", 7e6, "count", "Alibaba platforms", 353, F, "very active merchants, c. 2013")
m("us_economy", "count", "1997", 5.44e6, "count", "US nonemployer firms", 391, T,
  "Census nonemployer statistics put 1997 at roughly 15 million, so 5.44 million looks wrong")
m("us_economy", "count", "2011", 22.5e6, "count", "US nonemployer firms", 391, F, "")
m("alibaba_group", "jobs_created", "2013", 9.72e6, "count", "direct, Alibaba retail platforms", 400, F,
  "hired plus self-employed; from Nov 2013 research institute report")
m("alibaba_group", "jobs_created", "2013", 2.04e6, "count", "indirect, Alibaba retail platforms", 402, F,
  "from Nov 2013 research institute report")
m("taobao", "jobs_created", "2013", 9.27e6, "count", "direct retail employment, Taobao", 409, F, "Table 1.1, Nov 2013 report")
m("alibaba_group", "jobs_created", "2013", 9.72e6, "count", "direct retail employment total", 409, F, "Table 1.1")
m("tmall", "jobs_created", "2013", 0.45e6, "count", "direct retail employment, Tmall", 410, F, "Table 1.1")
m("alibaba_group", "jobs_created", "2013", 0.01e6, "count", "indirect: transaction services", 411, F, "Table 1.1")
m("alibaba_group", "jobs_created", "2013", 2.04e6, "count", "indirect employment total", 411, F, "Table 1.1")
m("alibaba_group", "jobs_created", "2013", 0.94e6, "count", "indirect: logistics, delivery, payment, finance", 412, F, "Table 1.1")
m("alibaba_group", "jobs_created", "2013", 1.09e6, "count", "indirect: derivative services", 413, F, "Table 1.1")
m("alibaba_group", "jobs_created", "2013", 11.76e6, "count", "direct plus indirect", 414, F, "Table 1.1 grand total; sums check")
m("alibaba_research_institute", "count", "2011", 100, "count", "Lighthouse study", 404, F, "case studies of online businesses")
m("rural_taobao", "count", "2014-07-03", 180, "count", "first county e-commerce summit", 420, F, "county leaders attending, close to")
m("china_ecommerce", "share_other", "2010", 0.5, "share", "county-level online vendors", 426, F,
  "Jiangsu plus Zhejiang share fell below 50% for the first time from 2010")
m("china_ecommerce", "share_other", "2013", 0.3, "share", "county-level online vendors", 426, F,
  "north, south and central China combined, approaching 30%")
m("china_economy", "count", "undated", 2800, "count", "county-level units", 428, F, "more than")
m("alibaba_group", "merchants", "undated", 7e6, "count", "active online vendors", 450, F, "c. 2014; basis for credit")
m("ant_group", "borrowers", "undated", 4e6, "count", "online vendors given credit lines", 450, T,
  "called Alibaba Micro Financial Service Group here; chapter 5 (line 2052) says over 2 million vendors")
m("alibaba_com", "count", "2010", 100, "count", "B2B sales staff implicated", 468, F,
  "nearly 100 staff involved in China Supplier fraud (2009-2010)")
m("us_economy", "share_other", "2011", 0.493, "share", "US manufacturing sales", 504, F, "e-commerce share")
m("us_economy", "share_other", "2011", 0.243, "share", "US wholesale", 504, F, "e-commerce share")
m("us_economy", "share_other", "2011", 0.047, "share", "US retail sales", 504, F, "e-commerce share")
m("us_economy", "share_other", "2011", 0.03, "share", "US services", 504, F, "e-commerce share")
m("alibaba_group", "count", "undated", 14, "years", "company age", 512, T, "line 269 says some 12 years")
m("us_economy", "count", "undated", 4, "count", "US enterprises", 520, F, "financial-service firms per 100 enterprises")
m("china_economy", "count", "undated", 4, "count", "Chinese enterprises", 520, F, "financial-service firms per 10,000 enterprises")

# Chapter 2
m("alibaba_group", "amount_other", "2013", 300150, "sq_m", "Taobao Town campus", 597, F, "site area")
m("alibaba_group", "amount_other", "2013", 250000, "sq_m", "Taobao Town campus", 597, F, "floor area of new buildings")
m("alibaba_group", "investment", "2013", 1.36e9, "CNY", "Taobao Town campus", 597, F, "design and construction cost")
m("alibaba_group", "investment", "2013", 217.6e6, "USD", "Taobao Town campus", 776, F, "translator's conversion at 2015 rates")
m("alibaba_group", "count", "2013", 10000, "count", "staff moved to Taobao Town", 607, F, "moved in groups of about 2,000")
m("alibaba_com", "count", "2009", 6000, "count", "staff moved to Binjiang campus", 607, F, "source says four years before the 2013 move")
m("taobao", "jobs_created", "2012", 8.6622e6, "count", "China", 617, F, "direct jobs, end of 2012")
m("china_ecommerce", "count", "2012", 9.625e6, "count", "China", 617, F,
  "all people in internet start-ups in China; smaller than the 9.72 million direct Alibaba jobs at line 400")
m("taobao", "jobs_created", "undated", 2.84e6, "count", "online-store customer service", 619, F, "c. 2012-13")
m("taobao", "count", "undated", 37638, "count", "Tao ladies (online models)", 621, F, "c. 2013")
m("taobao", "share_other", "undated", 0.8624, "share", "Tao ladies", 621, F, "share working part time")
m("taobao", "age", "undated", 23, "years", "Tao ladies", 621, F, "average age")
m("taobao", "amount_other", "undated", 50000, "CNY", "Tao ladies", 621, F, "highest monthly income, around")
m("china_ecommerce", "revenue", "2012", 40.3e9, "USD", "China e-commerce services industry", 646, T,
  "research-institute estimate; line 1609 gives about 200 billion RMB for 2012")
m("china_ecommerce", "revenue", "2012", 246.3e9, "CNY", "China e-commerce services industry", 646, T,
  "line 1609 gives about 200 billion RMB for the same year")
m("china_ecommerce", "revenue_growth", "2012", 0.72, "share", "China e-commerce services industry", 646, T,
  "line 1609 gives 83%")
m("china_ecommerce", "revenue", "2012", 11.26e9, "USD", "e-commerce transaction services", 646, F, "")
m("china_ecommerce", "revenue_growth", "2012", 0.56, "share", "e-commerce transaction services", 646, F, "")
m("china_ecommerce", "revenue", "2012", 19.21e9, "USD", "e-commerce supporting services", 646, F, "")
m("china_ecommerce", "revenue_growth", "2012", 1.13, "share", "e-commerce supporting services", 646, F, "")
m("china_ecommerce", "revenue", "2012", 9.84e9, "USD", "derivative e-commerce services", 646, F, "")
m("china_ecommerce", "revenue_growth", "2012", 1.5, "share", "derivative e-commerce services", 646, F, "")
m("china_ecommerce", "gmv", "2012", 818e9, "USD", "all e-commerce transactions, China", 646, T,
  "over; at 6.11 this is about 5 trillion RMB, while line 1609 gives 8.4 trillion RMB for 2012")
m("china_ecommerce", "gmv", "2012", 164e9, "USD", "online retail, China", 646, F, "over")
m("china_ecommerce", "growth_rate", "2013-2015", 0.6, "share", "e-commerce services revenue", 648, F,
  "forecast growth 60-70% a year")
m("china_ecommerce", "revenue", "2015", 1e12, "CNY", "e-commerce services industry", 648, F, "forecast made c. 2013")
m("china_ecommerce", "gmv", "2015", 13e12, "CNY", "e-commerce transactions supported", 648, F, "forecast made c. 2013")
m("taobao", "count", "2012", 490000, "count", "third-party service providers", 662, F, "")
m("taobao", "count", "2012", 9e6, "count", "non-paying users of third-party services", 662, F, "more than")
m("taobao", "count", "2012", 1e6, "count", "paying users of third-party services", 662, F, "")
m("taobao", "amount_other", "2012", 15.2e9, "CNY", "derivative services revenue", 662, F, "revenue of service firms built on Taobao, roughly")
m("taobao", "merchants", "undated", 1.56e6, "count", "sellers buying services", 662, F, "more than; c. 2013")
m("taobao", "share_other", "2012", 0.756, "share", "online stores", 662, F, "share that used hired models")
m("taobao", "count", "2012", 23000, "count", "models", 662, F, "models used by Taobao stores")
m("taobao", "amount_other", "2012", 396e9, "CNY", "modeling market", 662, T,
  "larger than the whole 246.3 billion RMB services sector at line 646; likely a unit error")
m("taobao", "share_other", "2012", 0.52, "share", "traditional brands", 662, F, "considering outsourced online operation")
m("taobao", "share_other", "2012", 0.005, "share", "online stores", 662, F, "share using an agency to run the store")
m("taobao", "share_other", "2012", 0.05, "share", "Alibaba sales volume", 662, F, "share contributed by agency-run stores")
m("taobao", "merchants", "2012", 1.2e6, "count", "Taobao open platform", 673, F, "vendors joining the open platform")
m("taobao", "growth_rate", "2012", 2.6, "ratio", "Taobao open platform", 673, F, "vendors on open platform vs 2011 (multiple)")
m("taobao", "count", "2012-11", 1025, "count", "Taobao open platform", 673, F, "API data interfaces")
m("taobao", "count", "2012-11", 2.4e9, "count", "Taobao open platform", 673, F, "average daily API calls, around")
m("china_internet", "users", "2014", 649e6, "count", "China", 707, F, "internet users, end of December 2014")
m("china_internet", "users", "2014", 31.17e6, "count", "China", 707, F, "new internet users during 2014")
m("china_internet", "share_other", "2014", 0.479, "share", "China", 707, F, "internet penetration rate")
m("china_internet", "share_other", "2014", 0.021, "share", "China", 707, F, "rise in penetration vs 2013, in percentage points")
m("china_internet", "users", "2014", 557e6, "count", "China mobile", 707, F, "mobile internet users, end 2014")
m("china_internet", "users", "2014", 56.72e6, "count", "China mobile", 707, F, "added mobile internet users in 2014")
m("china_internet", "share_other", "2013", 0.81, "share", "China", 707, F, "share of internet users going online by phone")
m("china_internet", "share_other", "2014", 0.858, "share", "China", 707, F, "share of internet users going online by phone")
m("singles_day", "gmv", "2014-11-11", 57.1e9, "CNY", "Alibaba Group", 709, F, "")
m("singles_day", "gmv", "2014-11-11", 9.3e9, "USD", "Alibaba Group", 709, F, "at 6.11 RMB per dollar")
m("us_economy", "amount_other", "2014-11", 2.04e9, "USD", "US online shopping day", 709, T,
  "US counterpart event (Cyber Monday); outside record: that Monday fell on 1 December 2014, not in November")
m("china_ecommerce", "gmv", "2014", 2.8e12, "CNY", "China online retail", 709, F, "")
m("china_ecommerce", "share_other", "2014", 0.106, "share", "China retail sales of consumer goods", 709, F, "online share")
m("china_ecommerce", "share_other", "2008", 0.01, "share", "China retail sales of consumer goods", 709, F, "online share")
m("china_ecommerce", "gmv", "2008", 100e9, "CNY", "China online retail", 709, F, "")
m("china_economy", "growth_rate", "1979-2007", 0.098, "share", "China", 711, F, "average real GDP growth")
m("china_economy", "growth_rate", "1953-1978", 0.061, "share", "China", 711, F, "average GDP growth")
m("china_economy", "growth_rate", "undated", 0.066, "share", "China", 711, T,
  "World Bank forecast of future growth; garbled duplicate at line 713 gives 7.0% over 50 years")
m("china_economy", "growth_rate", "undated", 0.07, "share", "China", 713, T,
  "garbled duplicate sentence; line 711 gives 6.6%")
m("china_economy", "share_other", "undated", 0.99, "share", "Chinese enterprises", 727, F, "share that are small or medium-sized")
m("alibaba_com", "registered_users", "2012-12-31", 36.7e6, "count", "international marketplace", 731, F, "")
m("alibaba_com", "merchants", "2012-12-31", 2.8e6, "count", "international marketplace", 731, F, "foreign companies' storefronts")
m("alibaba_com", "countries", "2012-12-31", 240, "count", "international marketplace", 731, F, "countries and regions served, more than")
m("b2b_1688", "registered_users", "2014", 120e6, "count", "1688.com", 733, F, "over; end of 2014")
m("b2b_1688", "count", "2014", 12e6, "count", "1688.com", 733, F, "daily visitors, more than")
m("b2b_1688", "count", "2014", 150e6, "count", "1688.com", 733, T,
  "unit missing in the source ('150 million online every day'); unclear what is counted")
m("b2b_1688", "merchants", "2014", 10e6, "count", "1688.com", 733, F, "business storefronts")
m("b2b_1688", "count", "2014", 49, "count", "1688.com", 786, F, "first-level industry categories")
m("b2b_1688", "count", "2014", 1709, "count", "1688.com", 786, F, "second-level industry categories")
m("alibaba_com", "ipo_raised", "2007", 1.7e9, "HKD", "Hong Kong listing of B2B unit", 735, T,
  "the struck-through duplicate at line 737 says US$; outside record: about HK$13 billion, i.e. US$1.7 billion")
m("alibaba_com", "ipo_raised", "2007", 1.7e9, "USD", "Hong Kong listing of B2B unit", 737, T,
  "struck-through duplicate; line 735 says HK$. The US$ reading fits the outside record")
m("taobao", "investment", "2010-01", 5e9, "CNY", "Taobao platform", 752, F, "over five years")
m("taobao", "amount_other", "undated", 100e9, "CNY", "Taobao e-commerce services", 754, F,
  "value of e-commerce services around Taobao, c. 2012")
m("alibaba_group", "count", "2013-01", 25, "count", "business units", 756, F, "units after the January 2013 split")
m("alipay", "payment_volume", "FY2014", 623e9, "USD", "Alipay total", 764, F, "fiscal year to 31 March 2014")
m("alipay", "payment_volume", "FY2014", 3.9e12, "CNY", "Alipay total", 764, F, "approximately")
m("alipay", "registered_users", "2013", 300e6, "count", "Alipay", 764, F, "close to 300 million real-name users, end 2013")
m("alipay", "transactions", "2013", 12.5e9, "count", "Alipay", 764, F, "to end of 2013")
m("alipay", "users", "2013", 100e6, "count", "Alipay Wallet (mobile)", 764, F, "more than; main payment channel")
m("alipay", "transactions", "2013", 2.78e9, "count", "Alipay Wallet (mobile)", 764, F, "more than")
m("alipay", "payment_volume", "2013", 900e9, "CNY", "Alipay Wallet (mobile)", 764, F, "more than")
m("singles_day", "orders", "2014-11-11", 278e6, "count", "Alibaba platforms", 766, F, "")
m("singles_day", "gmv", "2014-11-11", 57.1e9, "CNY", "Alibaba platforms", 766, F, "")
m("alipay", "transactions", "2014-11-11", 2.85e6, "count", "Singles' Day peak", 766, F, "peak payments in one minute")
m("alipay", "growth_rate", "2014-11-11", 3, "ratio", "Singles' Day peak", 766, F, "peak per-minute payments over three times 2013's (multiple)")
m("alipay", "payment_volume", "2014", 11.3e9, "CNY", "mobile, single-day record", 766, T,
  "placed in the 2014 passage, but line 1928 gives 11.3 billion RMB as the 2013 figure")
m("alipay", "merchants", "undated", 460000, "count", "businesses using Alipay", 766, F, "more than; c. 2014")
m("alipay", "users", "2014", 2.2e6, "count", "Spring Festival 2014", 770, F, "person-times paying credit-card bills via Alipay Wallet")
m("alipay", "count", "2014", 38, "count", "Spring Festival 2014", 770, F, "kinds of bank credit cards repaid")
m("alipay", "payment_volume", "2014", 7.1e9, "CNY", "mobile, Spring Festival 2014", 772, F, "seven-day holiday")
m("alipay", "growth_rate", "2014", 10, "ratio", "mobile, Spring Festival 2014", 772, F, "ten times the 2013 holiday (multiple)")
m("alipay", "transactions", "2014", 100e6, "count", "credit-card, Spring Festival 2014", 772, F, "over")
m("alipay", "share_other", "2014", 0.52, "share", "Spring Festival 2014", 772, F, "credit-card share of Alipay transactions")
m("alipay", "users", "2014", 50e6, "count", "Spring Festival 2014", 772, F, "customers, more than")
m("alipay", "market_share", "2013-03", 0.5, "share", "China online payments", 777, F,
  "'roughly half'; translator quotes The Economist")

# Chapter 3
m("singles_day", "gmv", "2013-11-11", 35e12, "CNY", "Taobao and Tmall", 794, T,
  "source writes trillion; the Alipay chapter (line 1873) and outside record give about 35 billion RMB")
m("singles_day", "gmv", "2012-11-11", 19.1e12, "CNY", "Taobao and Tmall", 794, T,
  "source writes trillion; outside record is about 19.1 billion RMB")
m("singles_day", "growth_rate", "2013-11-11", 2, "ratio", "Taobao and Tmall", 794, F, "nearly double 2012 (multiple)")
m("singles_day", "gmv", "2013-11-11", 35e12, "CNY", "Taobao and Tmall", 796, T,
  "repeats the trillion slip; should be billion")
m("taobao_university", "employees", "2003-2007", 4, "count", "Vendors Training Department", 836, F, "team size")
m("taobao_university", "count", "2003-2007", 8, "count", "lecturers trained", 836, F, "early years")
m("taobao", "gmv", "2007", 43e9, "CNY", "Taobao", 842, F, "annual turnover")
m("taobao_university", "count", "2007", 50, "count", "cities on training tour", 842, F, "")
m("taobao", "gmv", "2008", 90e9, "CNY", "Taobao", 862, F, "more than; almost double 2007")
m("taobao_university", "count", "2008", 50, "count", "books published", 868, F, "50 or 60 titles after 2008")
m("taobao_university", "students_trained", "2008", 40000, "count", "online courses", 868, F, "per day, person-times")
m("taobao_university", "count", "2009", 20, "count", "partner colleges", 872, F, "")
m("taobao_university", "students_trained", "2009", 150000, "count", "Taobao University", 878, F, "some")
m("taobao_university", "share_other", "undated", 0.2, "share", "Taobao University courses", 921, F, "fee-based share of courses, c. 2013")
m("tmall", "employees", "undated", 40, "count", "Tmall merchant operations department", 967, F, "not even 40 staff, c. 2013")
m("tmall", "merchants", "undated", 200, "count", "Tmall Top Team", 971, F, "top merchants in the group")
m("tmall", "merchants", "undated", 80000, "count", "Tmall", 979, T, "c. 2013; line 1591 gives 50,000")
m("tmall", "delivery_days", "undated", 15, "days", "C2B made-to-order clothing", 1027, F, "vs about half a year traditionally")
m("tmall", "amount_other", "undated", 10e6, "CNY", "Antszone brand", 1031, F, "digital marketing spend at launch, some")
m("tmall", "count", "undated", 90, "days", "new-merchant training", 1033, F, "length of training programme")
m("tmall", "count", "undated", 300, "count", "new-merchant training", 1037, F, "merchants per class")
m("taobao", "merchants", "undated", 6e6, "count", "Taobao", 1057, F, "6 to 8 million vendors, c. 2013")
m("tmall", "merchants", "undated", 80000, "count", "Tmall", 1059, T, "around; line 1591 gives 50,000")
m("taobao", "growth_rate", "2014-06", 0.6, "share", "vendors with sales under 100,000 RMB", 1071, F, "growth in number, period unstated")
m("taobao", "growth_rate", "2014-06", 0.3, "share", "vendors with sales 100,000-1 million RMB", 1071, F, "growth in number")
m("taobao", "growth_rate", "2014-06", 0.33, "share", "vendors with sales over 1 million RMB", 1071, F, "growth in number")
m("taobao", "merchants", "2012-05", 5964460, "count", "Taobao", 1073, F, "online vendors")
m("taobao", "merchants", "undated", 8e6, "count", "Taobao", 1073, F, "around; from staff interviews, c. 2013")
m("taobao", "merchants", "2012", 1e6, "count", "sellers with >1 million RMB annual sales", 1075, F, "target to train")
m("taobao", "merchants", "undated", 2e6, "count", "storefronts", 1113, F, "goal within three years (stated 2013)")
m("taobao", "merchants", "2014", 1e6, "count", "stores with >100,000 RMB annual sales", 1113, F, "expected")
m("taobao", "merchants", "2013", 400000, "count", "stores with >100,000 RMB annual sales", 1115, F, "some")
m("taobao", "share_other", "2013", 0.9, "share", "surveyed small vendors", 1121, F, "in business under three years; Economic Observer survey of 100+ vendors")
m("taobao", "share_other", "2013", 0.6, "share", "surveyed small vendors", 1121, F, "in business under two years")
m("taobao", "share_other", "2013", 0.3, "share", "surveyed small vendors", 1121, F, "in business under one year, nearly")
m("taobao", "count", "2013", 12, "count", "appeals channel", 1133, F, "misconduct types covered")
m("taobao", "share_other", "2012", 1.0, "share", "new vendors", 1135, F, "share authenticated")
m("taobao", "share_other", "2012", 0.6, "share", "vendor fraud", 1135, F, "drop in cheating by vendors, 60-70%")
m("taobao", "share_other", "2013", 0.6, "share", "existing vendors", 1137, F, "target authenticated by 2013H2, 60-80%")
m("alibaba_group", "gmv", "undated", 1e12, "CNY", "Alibaba e-commerce market", 1233, F, "on the order of; c. 2013")
m("alibaba_group", "gmv", "undated", 10e12, "CNY", "Alibaba e-commerce market", 1233, F, "expected within five years")
m("taobao", "merchants", "undated", 6e6, "count", "Taobao", 1233, F, "over; c. 2013")
m("taobao", "count", "undated", 100e6, "count", "Taobao", 1233, F, "individual user visits")


def write(name, cols, rows):
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        w.writerows(rows)


write("entities.csv", ["entity_id", "name", "kind", "parent", "country", "aliases", "founded", "founded_source",
                       "founded_line", "description"], ENTITIES)
write("events.csv", ["event_id", "date", "entity", "theme", "title", "description", "source", "line", "disputed", "note"],
      [(f"way1-{s}", d, e, th, ti, de, SRC, ln, dp, no) for s, d, e, th, ti, de, ln, dp, no in EVENTS])


def fmt(v):
    if abs(v - round(v)) < 1e-6:
        return str(int(round(v)))
    return "%.10g" % v


write("metrics.csv", ["entity", "metric", "period", "value", "unit", "scope", "source", "line", "disputed", "note"],
      [(e, mt, p, fmt(v), u, sc, SRC, ln, dp, no) for e, mt, p, v, u, sc, ln, dp, no in M])
print(len(ENTITIES), "entities;", len(EVENTS), "events;", len(M), "metrics")
