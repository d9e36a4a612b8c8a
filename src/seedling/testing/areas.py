"""Areas the tests and demo lean on (NBS 2023 codes)."""

PROVINCE = "33"  # 浙江省
CITY = "3307"  # 金华市
COUNTY = "330723"  # 武义县
TOWNSHIP = "330723101"  # 履坦镇
VILLAGE_A = "330723101201"  # 寺后村委会
VILLAGE_B = "330723101203"  # 履二村委会 (same township as A)
OTHER_TOWNSHIP_VILLAGE = "330723100200"  # 县前村委会 (柳城畲族镇, same county)
OTHER_COUNTY = "331081"  # 温岭市 (台州市)
OTHER_COUNTY_VILLAGE = "331081100204"  # 横径村委会
BEIJING_DISTRICT = "110112"  # 通州区

# Villages loaded into the test database: enough for every scenario, fast to load.
TEST_VILLAGE_PREFIXES = ["330723", "331081", "110112"]
