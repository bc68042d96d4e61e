"""Build the way2 staging CSVs (source alibaba_way = 003, lines 1251-2506).

Run from anywhere: python3 data/staging/way2/build.py
"""
import csv
from pathlib import Path

OUT = Path(__file__).resolve().parent
S = "alibaba_way"

ENTITY_COLS = ["entity_id", "name", "kind", "parent", "country", "aliases", "founded", "founded_source", "founded_line", "description"]
EVENT_COLS = ["event_id", "date", "entity", "theme", "title", "description", "source", "line", "disputed", "note"]
METRIC_COLS = ["entity", "metric", "period", "value", "unit", "scope", "source", "line", "disputed", "note"]

# entity_id, name, kind, parent, country, aliases, founded, founded_line, description
ENTITIES = [
    ("china_taobao", "China.taobao.com (Special China)", "platform", "taobao", "China", "Te Se Zhong Guo;China specialty halls", "2010", 1406,
     "Taobao channel of provincial and county 'halls' that sell regional food and farm specialties, run with local governments."),
    ("suichang", "Suichang County", "place", "", "China", "Sui Chang", "", "",
     "Mountain county in south-western Zhejiang used by the book as a showcase of rural e-commerce."),
    ("suichang_internet_association", "Suichang County Internet Association", "organization", "", "China", "", "2010", 1420,
     "Self-governing association of local online shops that operates the Suichang hall on China.taobao.com."),
    ("alibaba_research_institute", "Alibaba Research Institute", "organization", "alibaba_group", "China", "AliResearch", "", "",
     "Alibaba's in-house research arm, the origin of many of the book's statistics."),
    ("jushita", "Jushita", "product", "tmall", "China", "Ju Shi Ta", "2012", 1831,
     "Open e-commerce cloud workbench for merchants built by Tmall with Alibaba's cloud unit and Wanwang."),
    ("iwode", "IWODE", "company", "", "China", "", "2006", 1633,
     "Online made-to-measure clothing seller cited as a C2B case."),
    ("shangpin_zhaipei", "Shangpin Zhaipei", "company", "", "China", "New-Home Network", "2004", 1651,
     "Custom furniture maker that paired digital design with online sales through an alliance with Alibaba."),
    ("story_pitaowang", "Story-Pitaowang", "company", "", "China", "", "", "",
     "Taobao seller of hand-made, personalised leather goods cited as a C2B case."),
    ("china_apparel_industry", "China's garment industry", "market", "", "China", "", "", "",
     "Chinese clothing makers and brands, whose inventory glut the book uses to argue for C2B."),
    ("china_economy", "China's economy and foreign trade", "market", "", "China", "", "", "",
     "National macro figures (exports, services trade, savings, funds) that the book uses as context."),
    ("china_microenterprises", "China's small and micro enterprises", "market", "", "China", "SMEs;microenterprises", "", "",
     "The small-firm sector whose lack of bank credit motivates Ali Small Loans."),
    ("us_economy", "United States economy", "market", "", "United States", "", "", "",
     "US comparison figures quoted by the book."),
    ("macao", "Macao", "place", "", "China", "Macau", "", "",
     "Special administrative region whose exporters were offered subsidies to use Alibaba."),
    ("macao_ipim", "Macao Trade and Investment Promotion Institute", "government", "", "China", "IPIM;Bureau of Trade Investment and Promotion", "", "",
     "Macao trade-promotion agency that partnered with Alibaba in 2009."),
    ("unionpay", "China UnionPay", "competitor", "", "China", "UnionPay;Yin-lian", "", "",
     "State-backed bank-card network and settlement body, rival of third-party payment firms."),
    ("tianhong_fund", "Tianhong Asset Management", "company", "", "China", "Tianhong Fund;Tianhong Zenglibao", "", "",
     "Fund house whose money-market fund sits behind Yu'e Bao."),
    ("miit", "Ministry of Industry and Information Technology", "regulator", "", "China", "MIIT", "", "",
     "Chinese ministry overseeing telecoms and website registration."),
]

# event_id, date, entity, theme, title, description, line, disputed, note
EVENTS = [
    ("double11-2013-record-night", "2013-11-11", "singles_day", "history", "Record night in Taobao Town",
     "Staff gathered in the Taobao Town hall as the 2013 Singles' Day tally broke the previous record.", 1273, False, ""),
    ("online-trade-trillion-2010", "2010", "china_ecommerce", "business_model", "Online trade said to top 1 trillion RMB",
     "The book claims China's total online trade crossed one trillion yuan in 2010, with Taobao taking more than four fifths of it.", 1277, True,
     "Outside record: China's 2010 online retail was roughly half a trillion RMB; Taobao plus Tmall only reached a trillion in 2012."),
    ("china-taobao-begins", "2010", "china_taobao", "business_model", "Specialty-food channel first tried",
     "Taobao started a channel grouping regional farm products in 2010, then shelved it for a time.", 1406, False, ""),
    ("china-taobao-revived", "2012-04", "china_taobao", "business_model", "Food team revives China.taobao.com",
     "Taobao's food category team took the dormant project back in April 2012 and built a model joining local government, a service operator and the platform.", 1406, False, ""),
    ("provincial-halls-2012", "2012", "china_taobao", "business_model", "First provincial halls open",
     "In the second half of 2012 Xinjiang, Sichuan and Guizhou opened provincial specialty halls; by the end of 2013 eight provinces had one.", 1375, False, ""),
    ("new-agri-dept", "2012", "taobao", "business_model", "Taobao forms a New Agriculture unit",
     "Taobao created a New Agriculture Development Department in 2012 and opened a channel to trial online sales of green farm goods.", 1398, False, ""),
    ("suichang-first-sellers", "2005", "suichang", "business_model", "Suichang products first sold on Taobao",
     "Local teas and mountain vegetables from Suichang began appearing on Taobao in 2005, though sales stayed scattered.", 1420, False, ""),
    ("suichang-association", "2010", "suichang_internet_association", "business_model", "Suichang online sellers organise",
     "The county Party committee, the commerce bureau and local bodies formed an internet association of online shops in 2010.", 1420, False, ""),
    ("suichang-hall-opens", "2013-01", "china_taobao", "business_model", "Suichang hall goes online",
     "Working with Alibaba, Suichang County opened its own hall on China.taobao.com in January 2013, run by the local internet association.", 1422, False, ""),
    ("suichang-fresh-produce", "2013", "suichang", "business_model", "Fresh produce leads Suichang's online sales",
     "From 2013 fresh fruit and vegetables became the top category sold online from Suichang.", 1464, False, ""),
    ("suichang-testing-centre", "2013", "suichang", "regulation", "County builds food testing centre",
     "Suichang spent 3 million yuan in 2013 on a testing centre for farm products to back food-safety claims on its hall.", 1486, False, ""),
    ("tmall-cold-chain", "2013-07-02", "tmall", "logistics", "Tmall pilots chilled delivery",
     "Tmall said it would trial cold-storage delivery of fresh and frozen food, beginning in Shanghai and later reaching 26 cities.", 1506, False, ""),
    ("century-cooperation", "2010-08", "taobao", "business_model", "Taobao recruits service partners",
     "A Taobao partner convention in August 2010 set up the Taobao Partner scheme for outside e-commerce service firms.", 1555, False, ""),
    ("lamborghini-sale", "2011-05-20", "tmall", "business_model", "Lamborghini sold online",
     "After joining Taobao Mall on 20 May 2011, Lamborghini closed a 6.488-million-yuan sale, then the largest single deal on Taobao.", 1551, False, ""),
    ("open-data-2010", "2010", "alibaba_group", "business_model", "Alibaba opens its trade data",
     "Alibaba announced in 2010 that it would release graded platform data to merchants and others through a paid analytics service.", 1599, False, ""),
    ("iwode-founded", "2006", "iwode", "business_model", "IWODE founded",
     "A returnee from Britain set up IWODE in 2006 to sell made-to-measure clothing online.", 1633, False, ""),
    ("shangpin-founded", "2004", "shangpin_zhaipei", "business_model", "Shangpin Zhaipei founded",
     "The custom furniture firm started in 2004 and kept growing through the 2008 slump in its industry.", 1651, False, ""),
    ("shangpin-newhome", "2009", "shangpin_zhaipei", "business_model", "Furniture maker goes online with Alibaba",
     "Early in 2009 Shangpin Zhaipei opened its New-Home Network and allied with Alibaba to sell made-to-order furniture online.", 1653, False, ""),
    ("c2b-presale-2012", "2012", "alibaba_group", "business_model", "C2B presales launched",
     "The book credits Alibaba with starting a consumer-to-business advance-sale model in 2012 to ease overstocked inventories.", 1687, False, ""),
    ("baoman-c2b", "2012-11-11", "singles_day", "business_model", "Seven-day made-to-order run",
     "For the 2012 Singles' Day, apparel maker Baoman took orders first and completed production from cotton to finished goods in seven days.", 1695, False, ""),
    ("tmall-furniture-2012", "2012-08", "tmall", "business_model", "Furniture firms flock to Tmall",
     "More than a hundred new furniture companies registered on Tmall during August 2012 alone.", 1731, False, ""),
    ("export-rebound-forecast", "2009", "alibaba_com", "global", "Platform data foresee export rebound",
     "Buyer inquiries on Alibaba's trade site in late 2009 led the company to predict a fast recovery of Chinese exports in early 2010.", 1761, False, ""),
    ("china-asean-zero-tariff", "2010-01-01", "china_economy", "global", "China-ASEAN tariffs drop to zero",
     "A zero-duty regime between China and ASEAN took effect on 1 January 2010, which the book sees as a boost for exports.", 1769, False, ""),
    ("macao-partnership", "2009-10", "macao_ipim", "global", "Macao agency partners with Alibaba",
     "Macao's trade promotion body agreed with Alibaba in October 2009 to push small local exporters online, subsidising their purchase of Alibaba services.", 1777, False, ""),
    ("jushita-founded", "2012-07-10", "jushita", "cloud_ai", "Jushita cloud workbench launched",
     "Tmall, Alibaba's cloud unit and Wanwang set up Jushita on 10 July 2012 as an open software-as-a-service platform for merchants.", 1831, False, ""),
    ("taobao-launch", "2003-05", "taobao", "history", "Taobao set up",
     "The chapter dates the founding of the Taobao platform to May 2003, when mutual distrust between buyers and sellers was the main obstacle.", 1883, False, ""),
    ("alipay-escrow-start", "2003-10-15", "alipay", "fintech", "Alipay escrow goes live on Taobao",
     "Alipay began holding buyers' money until goods arrived on Taobao on 15 October 2003; the first deal was a 750-yuan used camera paid at a bank counter.", 1885, False,
     "Same source dates Alipay's establishment to 2004 at line 766; the escrow service predates the separate company."),
    ("alipay-quick-pay", "2010", "alipay", "fintech", "Alipay quick pay rolled out",
     "From 2010 Alipay linked with over a hundred banks so card holders could pay without online banking.", 1916, False, ""),
    ("alipay-pingan", "2013-04", "alipay", "fintech", "Ping An insures Alipay accounts",
     "In April 2013 Alipay brought in Ping An Insurance to refund in full any losses from fraudulent quick-pay use, with Alipay paying the premiums.", 1920, False, ""),
    ("alipay-wallet", "2013-01", "alipay", "fintech", "Alipay Wallet released",
     "Alipay officially released its Wallet mobile app in January 2013, bundling top-ups, bill payment, sonic and QR payment and access to Yu'e Bao.", 1930, False, ""),
    ("payment-licences", "2011-05", "pboc", "regulation", "First third-party payment licences",
     "The central bank named its first batch of 27 non-bank payment firms in May 2011; Alipay was among them.", 1940, False, ""),
    ("pboc-qr-halt", "2014-03", "pboc", "regulation", "Central bank halts QR and virtual-card payments",
     "In March 2014 the People's Bank of China ordered Tencent and Alipay to suspend face-to-face QR code and virtual credit card payments.", 1960, False, ""),
    ("qr-standards", "2014-04-09", "ali_small_loans", "regulation", "Ant works on QR code standards",
     "Alibaba's micro-finance risk chief Hu Xiaoming said on 9 April 2014 that the group was drafting QR payment standards under central-bank guidance.", 1962, False,
     "Source credits 'Ali Small Loans' with the standards work; the unit meant is the wider micro-finance group."),
    ("credit-access-2002", "2002", "alibaba_com", "fintech", "Credit Access launched",
     "Jack Ma launched the Credit Access (TrustPass) credit-record service in 2002, later backed by an index scoring members' trading records.", 1992, False, ""),
    ("bank-loan-alliance", "2007", "ali_small_loans", "fintech", "Alibaba brokers bank loans",
     "From 2007 Alibaba worked with ICBC and China Construction Bank to offer collateral-free loans to groups of member firms; banks approved very few.", 1994, False, ""),
    ("ali-loans-spinoff", "2009-06", "ali_small_loans", "fintech", "Ali Small Loans split from B2B",
     "The lending business was separated from the B2B unit in June 2009 and Ali Small Loans was formed.", 2006, False, ""),
    ("zhejiang-loan-company", "2010-06-08", "ali_small_loans", "fintech", "First e-commerce micro-loan firm",
     "Alibaba, Yintai and Wanxiang set up the Zhejiang Alibaba small-loan company in Hangzhou on 8 June 2010, the first Chinese micro-lender aimed at online sellers.", 2006, False,
     "A sister company followed with Chongqing's government; the source wrongly places it in Sichuan Province (line 2008)."),
    ("yuebao-launch", "2013-06-13", "yuebao", "fintech", "Yu'e Bao launched",
     "Alipay opened Yu'e Bao on 13 June 2013, letting users sweep balances into Tianhong's money-market fund.", 2072, False, ""),
    ("fund-stores-taobao", "2013-11-02", "taobao", "fintech", "Fund houses open Taobao stores",
     "Seventeen fund companies opened shops on Taobao on 2 November 2013 ahead of Singles' Day, selling some 908 million yuan of products on the day.", 2090, False, ""),
    ("miit-website-rule", "2010", "miit", "regulation", "In-person checks for website owners",
     "In 2010 the industry ministry required individuals opening websites to register in person and be photographed, which many resisted.", 2222, False, ""),
    ("lv-meetings", "2010", "taobao", "regulation", "Regular anti-fake talks with Louis Vuitton",
     "Taobao began holding periodic meetings with Louis Vuitton in 2010 on intellectual property and piracy.", 2240, False, ""),
    ("lv-mou", "2013-10-11", "taobao", "regulation", "Taobao and Louis Vuitton sign anti-fake pact",
     "Taobao and Louis Vuitton signed a memorandum in Paris on 11 October 2013 to jointly pursue counterfeit sellers.", 2238, False, ""),
    ("police-crackdown-2013", "2013", "taobao", "regulation", "Joint action with police on fakes",
     "During 2013 Taobao worked with public security bodies on actions against makers of counterfeit goods.", 2240, False, ""),
    ("coach-mou-2011", "2011", "taobao", "regulation", "First Coach agreement",
     "Coach first signed an anti-counterfeiting agreement with Taobao in 2011.", 2242, False, ""),
    ("coach-mou-2013", "2013", "taobao", "regulation", "Coach renews pact in New York",
     "Around the time of the Louis Vuitton deal, Coach renewed its anti-fake memorandum with Taobao in New York.", 2242, False, ""),
    ("ant-financial-formed", "2014-10", "ant_group", "fintech", "Ant Financial launched",
     "The book says Ant Financial was split off in October 2014 as the finance arm grouping Alipay, Sesame Credit, micro-loans, a finance cloud and Yu'e Bao.", 2305, True,
     "The text treats Ant as a branch of Alibaba Group; Alipay had already been moved out of the listed group in 2010-11, and Ant was formally launched in October 2014 as a separate affiliate."),
    ("internet-rules-2008", "2008", "taobao", "regulation", "Taobao adopts 'Internet rules'",
     "Taobao introduced its concept of platform rules in 2008; three mass protests by vendors followed its rule changes.", 2395, False, ""),
    ("search-rules-2010", "2010-07-08", "taobao", "regulation", "Search ranking rules tightened",
     "Taobao changed its search rules on 8 July 2010, naming seven kinds of ranking fraud and demoting duplicate or misleading listings.", 2405, False, ""),
    ("vendor-protest-2010", "2010-07", "taobao", "regulation", "Vendors protest at Taobao offices",
     "From early July to early September 2010 small sellers demonstrated outside Taobao, saying the search change cut their traffic.", 2411, False, ""),
    ("ma-letter-2010", "2010", "jack_ma", "culture", "Ma defends the search change",
     "Jack Ma answered the 2010 protest with an internal letter to staff backing the new rules as a trade of short-term gain for fairness.", 2413, False, ""),
    ("tmall-rules-2011", "2011-10-10", "tmall", "regulation", "Tmall announces 2012 merchant terms",
     "Tmall published new merchant agreements and rules for 2012 on 10 October 2011, setting off the second large vendor protest.", 2419, False, ""),
    ("anti-fake-rules-2013", "2013-07-22", "taobao", "regulation", "Tougher counterfeit rules",
     "Taobao issued stricter anti-counterfeit rules on 22 July 2013, with heavier penalties and a tally that bars repeat offenders.", 2423, False, ""),
    ("anti-fake-enforcement", "2013-10", "taobao", "regulation", "Enforcement drive begins",
     "Taobao started applying the new counterfeit penalties in October 2013, angering many small sellers.", 2430, False, ""),
    ("vendor-attack-2013", "2013-12-03", "taobao", "regulation", "Third mass vendor incident",
     "On 3 December 2013 small Taobao sellers whose items were removed organised through QQ groups and attacked large Tmall stores.", 2430, False, ""),
    ("eight-demands", "2013-12-08", "taobao", "regulation", "Sellers issue eight demands",
     "On 8 December 2013 the protesting vendors listed eight conditions for ending the dispute, including an apology and equal treatment with Tmall stores.", 2430, False, ""),
    ("appeal-extension", "2013-12", "taobao", "regulation", "Taobao extends appeal window",
     "Taobao answered on Weibo three days in, easing appeals and extending the deadline for accused sellers to 20 January 2014, except 48 severe cases.", 2443, False, ""),
    ("ip-teams-2011", "2011", "taobao", "regulation", "IP protection staff reorganised",
     "In 2011 Taobao split its intellectual property staff into three teams and built a group of over 2,000 trained people.", 2490, False, ""),
]

# entity, metric, period, value, unit, scope, line, disputed, note
M = []
def m(entity, metric, period, value, unit, scope, line, disputed=False, note=""):
    M.append((entity, metric, period, value, unit, scope, line, disputed, note))

# --- Cainiao, Taobao history (1263-1279)
m("cainiao", "investment", "undated", 1000000000000, "CNY", "China logistics network", 1263, True,
  "Book says Jack Ma put 1 trillion RMB into Cainiao; the 2013 launch plan was about 100 billion RMB (up to 300 billion in all), so this looks ten times too high. No date in the text; Cainiao was formed in 2013.")
m("taobao", "gmv", "2003-2005", 8020000000, "CNY", "Taobao", 1277, False, "transactions in the first two years after the 2003 launch")
m("taobao", "growth_rate", "2003-2005", 7, "share", "Taobao", 1277, False, "over 700% growth in its first two years; base not stated")
m("taobao", "gmv", "2006", 15000000000, "CNY", "Taobao", 1277)
m("taobao", "market_share", "2006", 0.65, "share", "China online shopping market", 1277, False, "source says 'the market', presumably consumer e-commerce")
m("china_ecommerce", "gmv", "2010", 1000000000000, "CNY", "all online transactions in China", 1277, True,
  "Outside record: 2010 online retail was near 0.5 trillion RMB; the trillion mark for Taobao+Tmall came in 2012.")
m("taobao", "market_share", "2010", 0.8, "share", "China online transactions", 1279, True, "over 80%; share of the disputed 2010 trillion total")

# --- China.taobao.com and agriculture (1375-1400)
m("china_taobao", "count", "2013", 8, "count", "provinces with specialty halls", 1375, False, "provincial halls by end 2013 (incl. Taiwan in the list)")
m("china_taobao", "count", "2013", 12, "count", "county and city halls", 1375, False, "over a dozen by end 2013")
m("alibaba_group", "gmv", "2012", 19861000000, "CNY", "agricultural products, Taobao incl. Tmall", 1379, False, "from the Alibaba Research Institute 2012 agriculture white paper")
m("alibaba_group", "growth_rate", "2010-2012", 4, "ratio", "agricultural products, Taobao incl. Tmall", 1379, False, "'increase of four times' over 2010; unclear whether 4x or 5x the 2010 level")
m("alibaba_group", "gmv", "2012", 6141000000, "CNY", "tonic foods (bee products, bird's nest, fungi)", 1379)
m("alibaba_group", "gmv", "2012", 3453000000, "CNY", "edible oils, noodles, dried goods, seasonings", 1379)
m("alibaba_group", "gmv", "2012", 3416000000, "CNY", "tea", 1379, True,
  "Text prints '3.416 RMB' with the unit dropped; billion read from the sentence. Daily tea sales of 7.22 million (line 1388) imply only about 2.6 billion a year.")
m("alibaba_group", "growth_rate", "2012", 0.4206, "share", "live and fresh farm products", 1388, False, "fastest-growing agricultural category")
m("alibaba_group", "gmv", "2012", 7220000, "CNY_per_day", "tea on Taobao", 1388, False, "average daily sales")
m("tmall", "merchants", "2012", 4000, "count", "food product sellers on Tmall", 1398)
m("alibaba_group", "gmv", "2013", 28400000000, "CNY", "agricultural products, all Alibaba platforms", 1400)
m("alibaba_group", "gmv", "2014", 48300000000, "CNY", "agricultural products, all Alibaba platforms", 1400)
m("alibaba_group", "growth_rate", "2014", 0.7, "share", "agricultural products, all Alibaba platforms", 1400)

# --- Suichang (1420-1486)
m("suichang", "share_other", "undated", 0.0883, "share", "mountain share of county land", 1420, True,
  "8.83% contradicts the claim of mountainous terrain; the county is usually described as close to nine-tenths mountain, so a decimal looks lost.")
m("suichang", "amount_other", "2004", 2600000000, "CNY", "Suichang County GDP", 1424)
m("suichang", "amount_other", "2013", 7670000000, "CNY", "Suichang County GDP", 1424)
m("suichang", "share_other", "2004", 0.0291, "share", "online retail in total retail sales", 1424, False, "start year taken from the GDP sentence; the figure itself gives no years")
m("suichang", "share_other", "2013", 0.0942, "share", "online retail in total retail sales", 1424)
m("suichang", "share_other", "2004", 0.0058, "share", "online sales relative to county GDP", 1424, False, "start year taken from the GDP sentence")
m("suichang", "share_other", "2013", 0.0239, "share", "online sales relative to county GDP", 1424)
m("suichang_internet_association", "count", "undated", 30, "count", "training sessions held", 1446, False, "over 30; c.2013")
m("suichang_internet_association", "students_trained", "undated", 3000, "count", "people trained", 1446, False, "over 3,000; c.2013")
m("suichang", "merchants", "2013-06", 1473, "count", "Suichang online stores", 1448)
m("suichang", "count", "2013-06", 164, "count", "stores acting only as suppliers", 1448)
m("suichang", "count", "2013-06", 41, "count", "stores providing only services (shipping, photos, design)", 1448)
m("suichang", "investment", "2013", 3000000, "CNY", "farm product testing centre", 1486)

# --- logistics, services, outsourcing (1506-1611)
m("tmall", "count", "2013-07", 26, "count", "cities planned for cold-chain fresh delivery", 1506)
m("tmall", "amount_other", "2011-05", 6488000, "CNY", "single Lamborghini sale", 1551, False, "largest single transaction in Taobao's history at the time")
m("tmall", "count", "undated", 100, "count", "outsourcing service firms on Tmall", 1591, False, "over 100; c.2013")
m("tmall", "merchants", "undated", 50000, "count", "Tmall merchants", 1591, True, "Same book gives about 80,000 Tmall stores at lines 979 and 1059.")
m("tmall", "count", "undated", 70000, "count", "brands registered on Tmall", 1591)
m("tmall", "count", "undated", 40000, "count", "merchants considering outsourcing", 1591, False, "over 40,000")
m("china_ecommerce", "amount_other", "2012", 200000000000, "CNY", "e-commerce services sector", 1609, True,
  "About 200 billion, +83%; line 646 of the same book gives 246.3 billion RMB and +72% for 2012.")
m("china_ecommerce", "growth_rate", "2012", 0.83, "share", "e-commerce services sector", 1609, True, "line 646 gives +72% for the same year")
m("china_ecommerce", "gmv", "2012", 1200000000000, "CNY", "online retail supported by e-commerce services", 1609, False, "around")
m("china_ecommerce", "gmv", "2012", 8400000000000, "CNY", "all e-commerce transactions", 1609, True, "line 646 puts 2012 e-commerce transactions at over US$818 billion, well below 8.4 trillion RMB")
m("china_ecommerce", "amount_other", "2012", 15200000000, "CNY", "online retail services segment", 1609)
m("china_ecommerce", "growth_rate", "2012", 2, "share", "online retail services segment", 1609, False, "over 200%")

# --- C2B cases and garment inventories (1639-1731)
m("story_pitaowang", "count", "undated", 20000, "count", "product combinations on offer", 1639, False, "more than")
m("story_pitaowang", "share_other", "undated", 0.8, "share", "returning customers", 1641)
m("shangpin_zhaipei", "share_other", "2009", 0.4, "share", "discount off market price online", 1653)
m("china_apparel_industry", "amount_other", "2012Q3", 73070000000, "CNY", "inventories of listed garment firms", 1691, False, "first three quarters of 2012")
m("china_apparel_industry", "amount_other", "2012", 25000000000, "CNY", "inventory of one unnamed brand", 1691)
m("china_apparel_industry", "net_income", "2012", 70810000000, "CNY", "garment and accessories industry", 1691, False, "profits January-October 2012, National Bureau of Statistics")
m("china_apparel_industry", "amount_other", "2012Q3", 3862000000, "CNY", "combined inventory of nine listed menswear makers", 1691)
m("china_apparel_industry", "share_other", "2012Q3", 0.5682, "share", "HeilanHome inventory to total assets", 1691)
m("china_apparel_industry", "share_other", "2012Q3", 0.4955, "share", "Meters Bonwe inventory to total assets", 1691)
m("singles_day", "count", "2012-11-11", 7, "days", "Baoman made-to-order production cycle", 1695, False, "days from orders to finished goods")
m("amap", "market_share", "undated", 0.216, "share", "mobile map accounts in China", 1725, False, "c.2013")
m("tmall", "count", "2012-08", 100, "count", "new furniture firms registered in the month", 1731, False, "more than 100")

# --- exports and trade (1747-1797)
m("china_economy", "growth_rate", "1978-2010", 0.166, "share", "China imports, average annual real growth", 1747)
m("china_economy", "growth_rate", "1978-2010", 0.174, "share", "China exports, average annual real growth", 1747)
m("china_economy", "growth_rate", "1997-2008", 0.191, "share", "China exports, annual growth", 1747)
m("china_economy", "growth_rate", "1997-2008", 0.177, "share", "China imports, annual growth", 1747)
m("china_economy", "amount_other", "1997-2008", 1357200000000, "CNY", "cumulative trade surplus", 1747, True,
  "Too small in RMB: customs data put the 2008 surplus alone near US$300 billion (about 2 trillion RMB); unit or span is probably wrong.")
m("china_economy", "share_other", "2000-2013", 0.2, "share", "exports relative to GNP", 1749, False, "above 20% every year since 2000")
m("china_economy", "share_other", "2006", 0.36, "share", "exports relative to GNP (peak)", 1749)
m("china_economy", "growth_rate", "2008", 0.05, "share", "fall in GDP growth", 1749, False, "decline; source says growth 'fell by 5 percent', read as points")
m("china_economy", "growth_rate", "2009", 0.18, "share", "fall in exports", 1749, True, "decline vs 2008; customs data show about a 16% drop in 2009 exports")
m("china_economy", "growth_rate", "2009", 0.03, "share", "further fall in GDP growth", 1749, True, "decline; official data show 2009 growth only slightly below 2008, not 3 points")
m("china_economy", "count", "2008", 15, "count", "US trade-remedy investigations of Chinese goods", 1755)
m("china_economy", "count", "2002-2005", 10.9, "count", "US trade-remedy investigations of Chinese goods", 1755, False, "yearly average")
m("china_economy", "count", "2009", 23, "count", "US trade-remedy investigations of Chinese goods", 1755)
m("china_economy", "amount_other", "2009", 7600000000, "USD", "trade covered by US trade-remedy cases", 1755, False, "record amount")
m("alibaba_com", "registered_users", "undated", 4500000, "count", "global registered users", 1771, True,
  "Stale: context is 2009-10; line 731 of the same book gives 36.7 million registered users at end 2012.")
m("macao", "amount_other", "2009", 64000000, "USD", "Macao exports, January-August", 1777, True,
  "Internally inconsistent: 5.11 billion patacas is about US$640 million, ten times the dollar figure.")
m("macao", "amount_other", "2009", 5110000000, "MOP", "Macao exports, January-August", 1777, True, "does not match the US$64 million given alongside")
m("macao_ipim", "amount_other", "2009", 2500, "USD", "maximum subsidy per exporter for Alibaba services", 1777, False, "roughly")
m("alibaba_com", "countries", "undated", 22, "count", "Arab countries cooperating with Alibaba", 1779)
m("alibaba_com", "share_other", "undated", 0.95, "share", "beef and mutton eaten in Arab countries imported from China", 1779, True,
  "Garbled duplicate: the repeated sentence at line 1781 says 60%; both are implausible.")
m("alibaba_com", "share_other", "undated", 0.6, "share", "meat eaten in Arab countries imported from China", 1781, True, "conflicts with 95% at line 1779; implausible")
m("alibaba_com", "users", "undated", 2000000, "count", "US buyers on Alibaba.com, three years earlier", 1789, False, "start of a three-year span ending c.2013")
m("alibaba_com", "users", "undated", 7000000, "count", "US buyers on Alibaba.com", 1789, False, "end of a three-year span, c.2013")
m("alibaba_com", "users", "undated", 360000, "count", "European buyers on Alibaba.com, three years earlier", 1789)
m("alibaba_com", "users", "undated", 1600000, "count", "European buyers on Alibaba.com", 1789, False, "c.2013")
m("alibaba_com", "amount_other", "undated", 100000, "USD", "upper bound of most single orders", 1789)
m("alibaba_com", "amount_other", "undated", 80000, "USD", "average order", 1789, True, "garbled duplicate: the repeated line 1791 gives US$30,000")
m("alibaba_com", "amount_other", "undated", 30000, "USD", "average order", 1791, True, "conflicts with US$80,000 on line 1789")
m("alibaba_com", "amount_other", "undated", 200000, "CNY", "average order (RMB equivalent)", 1791)
m("alibaba_com", "growth_rate", "undated", 7, "ratio", "buyers using direct purchasing", 1793, False, "rose 7 to 10 times a year in the past two years; low end given")
m("alibaba_com", "merchants", "undated", 80000, "count", "active Chinese suppliers", 1795, False, "about 5% of China's foreign-trade firms")
m("alibaba_com", "share_other", "undated", 0.05, "share", "active suppliers as share of China's foreign-trade firms", 1795)
m("alibaba_com", "amount_other", "undated", 1300000000000, "CNY", "exports by Alibaba's active suppliers", 1795, False, "third-party estimate, not all through Alibaba")
m("alibaba_com", "share_other", "undated", 0.2, "share", "those suppliers' share of small-firm exports", 1795)
m("china_economy", "amount_other", "2013", 539640000000, "USD", "services trade, imports plus exports", 1797)
m("china_economy", "growth_rate", "2013", 0.147, "share", "services trade", 1797)
m("china_economy", "share_other", "2013", 0.115, "share", "services in total trade", 1797)
m("china_economy", "share_other", "undated", 0.2, "share", "services in total trade, world average", 1797)
m("china_economy", "share_other", "undated", 0.249, "share", "services in total trade, Brazil", 1797)
m("china_ecommerce", "users", "undated", 170000000, "count", "online shoppers in China", 1805, False, "more than; no date, looks like a 2010-11 figure")

# --- Alipay (1841-1960)
m("taobao", "registered_users", "undated", 500000000, "count", "Taobao", 1841, False, "c.2013-14")
m("alipay", "registered_users", "undated", 800000000, "count", "Alipay", 1877, False, "also at line 1841; c.2013-14")
m("alipay", "payment_volume", "2013-11-11", 35019000000, "CNY", "Singles' Day via Alipay", 1873)
m("singles_day", "users", "2013-11-11", 213000000, "count", "shoppers on the day", 1873)
m("singles_day", "orders", "2013-11-11", 100000000, "count", "orders on the day", 1873, False, "more than")
m("alipay", "merchants", "undated", 460000, "count", "businesses receiving Alipay payments", 1875, False, "line 1906 says some 500,000")
m("alipay", "payment_volume", "undated", 20000000000, "CNY_per_day", "daily payment capacity", 1877)
m("alipay", "transactions", "undated", 100000000, "count", "transactions per day", 1877, False, "per day")
m("alipay", "amount_other", "2003-10", 750, "CNY", "first escrow deal (used camera)", 1887)
m("alipay", "users", "2003-2008", 100000000, "count", "Alipay customers", 1904, False, "reached in the first five years after the 2003 launch")
m("alipay", "users", "undated", 200000000, "count", "Alipay customers", 1904, False, "reached ten months after the 100 million mark")
m("alipay", "growth_rate", "2009-2012", 0.6, "share", "Alipay transaction count", 1904, False, "average yearly growth")
m("alipay", "transactions", "2012", 6230000, "count", "Alipay", 1904, True,
  "Cannot be right beside 12.5 billion transactions in 2013 (lines 764, 1956); likely billions, or a garble of the US$623 billion at line 764.")
m("alipay", "market_share", "2012", 0.7, "share", "online credit-card payments in China", 1904, False, "around")
m("alipay", "count", "undated", 200, "count", "partner financial institutions", 1906, False, "more than")
m("alipay", "merchants", "undated", 500000, "count", "commercial partners", 1906, False, "some; line 1875 gives 460,000")
m("alipay", "share_other", "undated", 0.883, "share", "users trusting sites that offer Alipay", 1908, False, "Zheng Wang Consulting survey")
m("alipay", "share_other", "undated", 0.7, "share", "online orders completed through payment", 1914, False, "Alibaba estimate; 30% of orders lost")
m("alipay", "count", "undated", 200, "count", "domestic partner banks", 1916, False, "more than")
m("alipay", "count", "undated", 4, "count", "overseas partner banks", 1916)
m("alipay", "count", "undated", 5, "count", "international card groups and payment firms", 1916)
m("alipay", "count", "2010", 100, "count", "banks linked for quick pay", 1916, False, "more than, from 2010 onward")
m("alipay", "users", "undated", 150000000, "count", "quick-pay users", 1920, False, "c.2013")
m("alipay", "share_other", "undated", 0.8, "share", "users willing to try sonic payment", 1922, False, "Ipsos survey with Alipay")
m("alipay", "share_other", "undated", 0.86, "share", "surveyed users who tried buying by phone", 1924)
m("china_ecommerce", "payment_volume", "2013Q1", 63900000000, "CNY", "third-party payments", 1924, True,
  "Labelled as the whole third-party payment market, but internet payments ran above a trillion RMB by Q3 2013 (line 1940); this must be the mobile segment.")
m("china_ecommerce", "payment_volume", "2013Q1", 47000000000, "CNY", "mobile internet payments", 1924)
m("alipay", "payment_volume", "2013Q1", 24000000000, "CNY", "Alipay mobile payments", 1924, False, "around")
m("alipay", "market_share", "2013Q1", 0.501, "share", "mobile internet payments", 1924)
m("china_ecommerce", "share_other", "2012", 0.38, "share", "payment success rate of bank mobile channels", 1926, False, "Alibaba statistics")
m("alipay", "growth_rate", "2012", 2.23, "share", "number of Alipay mobile payments", 1926)
m("alipay", "growth_rate", "2012", 5.46, "share", "value of Alipay mobile payments", 1926)
m("alipay", "share_other", "undated", 0.092, "share", "mobile share of Alipay payment count", 1926, False, "c.2013")
m("alipay", "payment_volume", "2013-11-11", 5350000000, "CNY", "Taobao payments by phone on Singles' Day", 1928)
m("alipay", "growth_rate", "2013-11-11", 5.6, "ratio", "Taobao phone payments vs 2012 festival", 1928, False, "times the 2012 level")
m("alipay", "payment_volume", "2013-11-11", 11300000000, "CNY", "all Alipay mobile payments on Singles' Day", 1928, False,
  "belongs to 2013; line 766 places the same 11.3 billion in the 2014 festival passage")
m("alipay", "transactions", "2013-11-11", 45180000, "count", "Alipay mobile payments on Singles' Day", 1928)
m("alipay", "share_other", "2013-11-11", 0.2403, "share", "mobile share of Singles' Day transactions", 1928)
m("china_ecommerce", "payment_volume", "2013Q3", 1665500000000, "CNY", "third-party internet payments", 1940, False, "Enfodesk; unclear whether one quarter or year to date")
m("alipay", "market_share", "2013Q3", 0.403, "share", "third-party internet payments", 1940, True, "Enfodesk per the book; other trackers put Alipay near 49% that quarter")
m("unionpay", "market_share", "2013Q3", 0.281, "share", "third-party internet payments", 1940, True, "Sentence is garbled: 28.1% seems to lump UnionPay with other payment firms.")
m("pboc", "count", "2011-05", 27, "count", "non-bank firms in first payment licence batch", 1940)
m("unionpay", "amount_other", "2011", 13800000000, "CNY", "UnionPay total assets", 1944, False, "end 2011")
m("unionpay", "revenue", "2011", 6000000000, "CNY", "UnionPay", 1944, False, "around")
m("unionpay", "net_income", "2011", 1000000000, "CNY", "UnionPay", 1944, False, "over")
m("unionpay", "growth_rate", "2007-2011", 2.5, "ratio", "UnionPay operating revenue", 1944, False, "increase over the four years to 2011")
m("unionpay", "growth_rate", "2007-2011", 10, "ratio", "UnionPay net income", 1944, False, "nearly 10 times in four years")
m("china_ecommerce", "share_other", "2012", 0.001, "share", "fee non-bank payment firms pay banks", 1948, False, "around; UnionPay survey")
m("unionpay", "share_other", "2012", 0.003, "share", "card fee inside UnionPay network (low end)", 1948, False, "range 0.3-0.55%")
m("unionpay", "share_other", "2012", 0.0055, "share", "card fee inside UnionPay network (high end)", 1948)
m("unionpay", "amount_other", "2012", 3000000000, "CNY", "bank losses from low online payment fees", 1948, False, "more than; UnionPay estimate")
m("alipay", "transactions", "2013", 12500000000, "count", "Alipay payments", 1956)
m("china_economy", "transactions", "2013", 12700000000, "count", "offline bank-card swipes", 1956)

# --- Microenterprises and Ali Small Loans (1976-2064)
m("china_microenterprises", "share_other", "undated", 0.99, "share", "small firms in all enterprises", 1976, False, "over")
m("china_microenterprises", "share_other", "undated", 0.8, "share", "urban jobs", 1978, False, "close to")
m("china_microenterprises", "share_other", "undated", 0.75, "share", "entrepreneurial innovations", 1978, False, "over")
m("china_microenterprises", "share_other", "undated", 0.6, "share", "GDP", 1978)
m("china_microenterprises", "share_other", "undated", 0.5, "share", "national tax revenue", 1978)
m("china_microenterprises", "share_other", "undated", 0.12, "share", "microenterprises able to get bank loans", 1982)
m("ali_small_loans", "count", "undated", 3, "count", "firms approved by CCB out of 100 recommended", 2000, False, "of 100 put forward, 97 rejected")
m("ali_small_loans", "loan_size", "undated", 60000, "CNY", "Ali Small Loans average", 2002, False, "per Hu Xiaoming, c.2013")
m("ali_small_loans", "loan_size", "undated", 2000000, "CNY", "typical ICBC/CCB business loan", 2002, False, "text reads '2 RMB million'")
m("china_microenterprises", "count", "2011", 3231, "count", "microenterprises surveyed in 36 cities", 2016)
m("china_microenterprises", "share_other", "2011", 0.64, "share", "funding gap under 100,000 RMB", 2016)
m("china_microenterprises", "share_other", "2011", 0.94, "share", "funding gap under 500,000 RMB", 2016)
m("china_microenterprises", "share_other", "2011", 0.98, "share", "funding gap under 1 million RMB", 2016)
m("china_microenterprises", "share_other", "2011", 0.82, "share", "need money within 10 working days", 2016)
m("china_microenterprises", "share_other", "2011", 0.43, "share", "need money within 5 working days", 2016)
m("china_microenterprises", "share_other", "2011", 0.86, "share", "accept rates of four times the legal rate", 2016)
m("ali_small_loans", "loan_size", "2013", 13000, "CNY", "average per loan", 2022)
m("ali_small_loans", "loan_size", "2013", 36000, "CNY", "average per customer", 2022)
m("ali_small_loans", "count", "undated", 7, "days", "longest wait for a loan", 2028, False, "shortest is three minutes")
m("ali_small_loans", "count", "2012", 123, "days", "average days customers kept the money", 2032)
m("ali_small_loans", "interest_rate", "2012", 0.18, "share", "annual rate customers would accept", 2032, False, "per year")
m("ali_small_loans", "interest_rate", "2012", 0.067, "share", "actual annualised cost to customers", 2032, False, "around, per year")
m("ali_small_loans", "interest_rate", "undated", 0.005, "share", "order loans, per day", 2034, True,
  "Read as 0.5% a day the rate is 180% a year; as 0.005% it is 1.8%; neither gives the 6% yearly cost on the same line. Probably 0.05% a day.")
m("ali_small_loans", "count", "undated", 4, "days", "average use of an order loan", 2034)
m("ali_small_loans", "interest_rate", "undated", 0.06, "share", "order loans, annualised", 2034, True, "does not follow from the stated daily rate")
m("ali_small_loans", "loan_size", "undated", 1000000, "CNY", "upper limit per loan", 2042, False, "larger loans left to banks")
m("ali_small_loans", "borrowers", "2013", 642000, "count", "customers who had borrowed", 2044, True,
  "cumulative to end 2013; more than double the 'over 300,000' entrepreneurs at line 2064 of the same chapter")
m("ali_small_loans", "loans_issued", "2010-2013", 172200000000, "CNY", "Ali Small Loans", 2044, False, "cumulative to end 2013")
m("ali_small_loans", "default_rate", "2013-06", 0.0084, "share", "non-performing loans", 2050, False, "end of June 2013")
m("ali_small_loans", "borrowers", "undated", 2000000, "count", "merchants granted credit lines", 2052, True, "more than; line 450 says credit extended to 4 million online vendors")
m("ali_small_loans", "loan_size", "undated", 10000, "CNY", "typical order loan", 2058, False, "generally under")
m("ali_small_loans", "borrowers", "undated", 300000, "count", "entrepreneurs funded", 2064, True, "more than; line 2044 gives 642,000 borrowers by end 2013")

# --- Yu'e Bao and savings (2072-2157)
m("yuebao", "fund_assets", "2014-01-31", 350000000000, "CNY", "Yu'e Bao", 2072)
m("yuebao", "users", "2014-01-31", 58950000, "count", "Yu'e Bao account holders", 2072, False, "more than")
m("yuebao", "fund_assets", "2014-06-30", 574200000000, "CNY", "Yu'e Bao", 2074, False, "called the world's fourth-largest money-market fund")
m("yuebao", "users", "2014-06-30", 100000000, "count", "Yu'e Bao users", 2074)
m("tianhong_fund", "fund_assets", "2014-01-15", 250000000000, "CNY", "Tianhong fund via Yu'e Bao", 2082, False, "from the Yu'e Bao web page (Figure 5.2)")
m("tianhong_fund", "users", "2014-01-15", 49000000, "count", "Tianhong fund customers via Yu'e Bao", 2084)
m("taobao", "count", "2013-11-02", 17, "count", "fund companies opening Taobao stores", 2090)
m("singles_day", "amount_other", "2013-11-11", 908000000, "CNY", "sales of wealth-management products", 2090)
m("singles_day", "amount_other", "2013-11-11", 531000000, "CNY", "Guohua Insurance flagship store", 2090)
m("singles_day", "amount_other", "2013-11-11", 211000000, "CNY", "Yifangda (E Fund) flagship store", 2090)
m("singles_day", "amount_other", "2013-11-11", 101000000, "CNY", "Sino Life Insurance flagship store", 2092)
m("yuebao", "amount_other", "undated", 1, "CNY", "minimum investment", 2104, False, "funds normally asked 100-1,000 RMB")
m("china_economy", "fund_yield", "2013", 0.03, "share", "money-market funds, annualised", 2112, False, "3-4%; low end given; about ten times demand-deposit rates")
m("yuebao", "amount_other", "undated", 1912.67, "CNY", "average holding per user", 2114)
m("yuebao", "amount_other", "undated", 1, "CNY_per_day", "earnings on 10,000 RMB", 2122, False, "around")
m("alipay", "share_other", "undated", 0.3, "share", "customers aged 21-25", 2128)
m("alipay", "share_other", "undated", 0.28, "share", "customers aged 25-30", 2128)
m("yuebao", "share_other", "2013", 0.87, "share", "netizens who had heard of Yu'e Bao", 2134, False, "2013 e-banking survey")
m("china_economy", "amount_other", "2013-08", 43000000000000, "CNY", "household bank deposits", 2136, False, "over; three months running")
m("china_economy", "amount_other", "2013-08", 30000, "CNY_per_person", "bank deposits per person", 2136, False, "over")
m("china_economy", "share_other", "2013", 0.5, "share", "household saving rate", 2136, False, "over")
m("us_economy", "share_other", "2013", 0.046, "share", "household saving rate", 2138)
m("china_economy", "fund_assets", "2013-09-30", 575448000000, "CNY", "open-end money-market funds", 2157)
m("us_economy", "fund_assets", "2013-09-30", 2679700000000, "USD", "money-market funds", 2157)

# --- rules and protests (2228-2490)
m("taobao", "count", "undated", 800000000, "count", "products listed on Taobao", 2228, False, "more than; c.2014")
m("taobao", "count", "undated", 40000, "count", "illegal, banned or restricted items identified", 2232, False, "more than")
m("taobao", "share_other", "undated", 0.99, "share", "goods the anti-fake system classifies accurately", 2234)
m("taobao", "count", "2010-07-08", 7, "count", "kinds of cheating named in search rules", 2405)
m("alibaba_group", "employees", "2010", 20000, "count", "staff ('outstanding young people')", 2415, False, "more than; from Jack Ma's letter during the 2010 protest")
m("taobao", "count", "undated", 15, "days", "window for buyer and seller ratings", 2307)
m("taobao", "count", "2013-12-08", 8, "count", "conditions demanded by protesting vendors", 2430)
m("taobao", "count", "2013-12", 48, "count", "severe violation cases excluded from appeal extension", 2443)
m("taobao", "employees", "2011", 2000, "count", "intellectual property protection staff", 2490, False, "over")


def b(x):
    return "true" if x else "false"


def main():
    with open(OUT / "entities.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(ENTITY_COLS)
        for eid, name, kind, parent, country, aliases, founded, fline, desc in ENTITIES:
            w.writerow([eid, name, kind, parent, country, aliases, founded, S if founded else "", fline if founded else "", desc])
    with open(OUT / "events.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(EVENT_COLS)
        seen = set()
        for eid, date, ent, theme, title, desc, line, disp, note in EVENTS:
            eid = "way2-" + eid
            assert eid not in seen, eid
            seen.add(eid)
            w.writerow([eid, date, ent, theme, title, desc, S, line, b(disp), note])
    with open(OUT / "metrics.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(METRIC_COLS)
        for ent, met, period, value, unit, scope, line, disp, note in M:
            v = repr(value) if isinstance(value, float) else str(value)
            w.writerow([ent, met, period, v, unit, scope, S, line, b(disp), note])
    print(len(ENTITIES), "entities;", len(EVENTS), "events;", len(M), "metrics")


if __name__ == "__main__":
    main()
