"""Code lists of the child's file (GB/T 3304 ethnic groups, GB/T 26341 disability, categories...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Hukou(models.TextChoices):
    RURAL = "rural", _("农业户口（农村）")
    URBAN = "urban", _("非农业户口（城镇）")
    NONE = "none", _("未登记户口")


class ChildStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    AGED_OUT = "aged_out", _("已满龄")
    MOVED = "moved", _("已迁出")
    DECEASED = "deceased", _("已死亡")


class NoIdReason(models.TextChoices):
    FOUNDLING = "foundling", _("弃婴/身份不明")
    UNREGISTERED = "unregistered", _("未登记户口")
    NOT_ISSUED = "not_issued", _("尚未办理")
    UNKNOWN = "unknown", _("暂不清楚")


class Grade(models.TextChoices):
    NOT_YET = "not_yet", _("未入学（学龄前）")
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY_1 = "p1", _("小学一年级")
    PRIMARY_2 = "p2", _("小学二年级")
    PRIMARY_3 = "p3", _("小学三年级")
    PRIMARY_4 = "p4", _("小学四年级")
    PRIMARY_5 = "p5", _("小学五年级")
    PRIMARY_6 = "p6", _("小学六年级")
    JUNIOR_1 = "j1", _("初一")
    JUNIOR_2 = "j2", _("初二")
    JUNIOR_3 = "j3", _("初三")
    SENIOR_1 = "s1", _("高一")
    SENIOR_2 = "s2", _("高二")
    SENIOR_3 = "s3", _("高三")
    VOCATIONAL = "vocational", _("中职/技校")
    UNIVERSITY = "university", _("大学（非研究生）")
    SPECIAL = "special", _("特殊教育学校")
    DROPPED_OUT = "dropped_out", _("辍学")
    WORKING = "working", _("已就业/未在学")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("慢性病")
    SERIOUS = "serious", _("重病")
    OTHER = "other", _("其他")


class DisabilityType(models.TextChoices):
    """GB/T 26341-2010 disability categories."""

    VISUAL = "visual", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    PHYSICAL = "physical", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


class DisabilityGrade(models.IntegerChoices):
    GRADE_1 = 1, _("一级")
    GRADE_2 = 2, _("二级")
    GRADE_3 = 3, _("三级")
    GRADE_4 = 4, _("四级")


class Relation(models.TextChoices):
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    STEPFATHER = "stepfather", _("继父")
    STEPMOTHER = "stepmother", _("继母")
    PATERNAL_GRANDFATHER = "paternal_grandfather", _("祖父")
    PATERNAL_GRANDMOTHER = "paternal_grandmother", _("祖母")
    MATERNAL_GRANDFATHER = "maternal_grandfather", _("外祖父")
    MATERNAL_GRANDMOTHER = "maternal_grandmother", _("外祖母")
    SIBLING = "sibling", _("兄弟姐妹")
    UNCLE_AUNT = "uncle_aunt", _("叔伯姑舅姨")
    OTHER_RELATIVE = "other_relative", _("其他亲属")
    NON_RELATIVE = "non_relative", _("非亲属")


PARENT_RELATIONS = {Relation.FATHER, Relation.MOTHER}


class Capacity(models.TextChoices):
    FULL = "full", _("具备监护/照护能力")
    LIMITED = "limited", _("能力有限")
    NONE = "none", _("不具备")


class Situation(models.TextChoices):
    """A parent's (or carer's) situation over time (家庭成员状况)."""

    WORKING_AWAY = "working_away", _("外出务工")
    DECEASED = "deceased", _("死亡")
    MISSING = "missing", _("失踪（法院宣告）")
    IMPRISONED = "imprisoned", _("服刑在押")
    DRUG_REHAB = "drug_rehab", _("强制隔离戒毒")
    RESTRICTED_LIBERTY = "restricted_liberty", _("被采取其他限制人身自由措施")
    SEVERE_DISABILITY = "severe_disability", _("重残")
    SERIOUS_ILLNESS = "serious_illness", _("重病")
    LOST_CONTACT = "lost_contact", _("失联")
    GUARDIANSHIP_REVOKED = "guardianship_revoked", _("被撤销监护资格")
    DEPORTED = "deported", _("被遣送（驱逐）出境")
    LACKS_CAPACITY = "lacks_capacity", _("无监护能力")


class Evidence(models.TextChoices):
    DEATH_CERTIFICATE = "death_certificate", _("死亡证明")
    COURT_DECLARATION = "court_declaration", _("法院宣告死亡/失踪判决")
    DISABILITY_CERTIFICATE = "disability_certificate", _("残疾人证")
    MEDICAL_DIAGNOSIS = "medical_diagnosis", _("医疗诊断证明")
    PRISON_CERTIFICATE = "prison_certificate", _("服刑/羁押证明")
    REHAB_CERTIFICATE = "rehab_certificate", _("强制隔离戒毒决定书")
    POLICE_REPORT = "police_report", _("公安机关出具的报警回执或证明")
    COURT_JUDGMENT = "court_judgment", _("法院判决书")
    DEPORTATION_DOCUMENT = "deportation_document", _("遣送出境证明")
    VILLAGE_STATEMENT = "village_statement", _("村（居）委会证明")
    EMPLOYMENT_PROOF = "employment_proof", _("务工证明")
    OTHER = "other", _("其他材料")


class Category(models.TextChoices):
    """Child categories (DOMAIN.md section 2); one child can hold several."""

    ORPHAN = "orphan", _("孤儿")
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported", _("事实无人抚养儿童")
    DIFFICULTY_POVERTY = "difficulty_poverty", _("困境儿童（家庭贫困）")
    DIFFICULTY_DISABILITY = "difficulty_disability", _("困境儿童（自身残疾）")
    DIFFICULTY_GUARDIANSHIP = "difficulty_guardianship", _("困境儿童（监护缺失或不当）")
    LEFT_BEHIND_BOTH = "left_behind_both", _("农村留守儿童（双亲外出）")
    LEFT_BEHIND_ONE = "left_behind_one", _("农村留守儿童（单亲外出）")
    MIGRANT = "migrant", _("流动儿童")
    DISABLED = "disabled", _("残疾儿童")


# GB/T 3304-1991 ethnic group codes (民族).
ETHNIC_GROUPS = [
    ("01", _("汉族")),
    ("02", _("蒙古族")),
    ("03", _("回族")),
    ("04", _("藏族")),
    ("05", _("维吾尔族")),
    ("06", _("苗族")),
    ("07", _("彝族")),
    ("08", _("壮族")),
    ("09", _("布依族")),
    ("10", _("朝鲜族")),
    ("11", _("满族")),
    ("12", _("侗族")),
    ("13", _("瑶族")),
    ("14", _("白族")),
    ("15", _("土家族")),
    ("16", _("哈尼族")),
    ("17", _("哈萨克族")),
    ("18", _("傣族")),
    ("19", _("黎族")),
    ("20", _("傈僳族")),
    ("21", _("佤族")),
    ("22", _("畲族")),
    ("23", _("高山族")),
    ("24", _("拉祜族")),
    ("25", _("水族")),
    ("26", _("东乡族")),
    ("27", _("纳西族")),
    ("28", _("景颇族")),
    ("29", _("柯尔克孜族")),
    ("30", _("土族")),
    ("31", _("达斡尔族")),
    ("32", _("仫佬族")),
    ("33", _("羌族")),
    ("34", _("布朗族")),
    ("35", _("撒拉族")),
    ("36", _("毛南族")),
    ("37", _("仡佬族")),
    ("38", _("锡伯族")),
    ("39", _("阿昌族")),
    ("40", _("普米族")),
    ("41", _("塔吉克族")),
    ("42", _("怒族")),
    ("43", _("乌孜别克族")),
    ("44", _("俄罗斯族")),
    ("45", _("鄂温克族")),
    ("46", _("德昂族")),
    ("47", _("保安族")),
    ("48", _("裕固族")),
    ("49", _("京族")),
    ("50", _("塔塔尔族")),
    ("51", _("独龙族")),
    ("52", _("鄂伦春族")),
    ("53", _("赫哲族")),
    ("54", _("门巴族")),
    ("55", _("珞巴族")),
    ("56", _("基诺族")),
    ("97", _("其他")),
    ("98", _("外国血统中国籍人士")),
]
