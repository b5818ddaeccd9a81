"""The agencies' file layouts that ship (sample layouts: headers as these agencies commonly export them, to be
checked against each agency's real export and edited on the sources page). Used by migration 0002 (copied there
as data, so the migration never changes with this module) and by the demo's file generator."""

from __future__ import annotations

from typing import Any

DATES = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]

SOURCES: list[dict[str, Any]] = [
    {"code": "civil_affairs", "agency": "市民政局", "name": "低保、特困、低保边缘人员名单",
     "column_map": {"id_number": "身份证号码", "name": "姓名", "category": "救助类别", "household_key": "家庭编号",
                    "place_code": "行政区划代码", "address": "家庭住址", "valid_from": "起始日期",
                    "valid_to": "终止日期"},
     "category_map": {"低保": "low_income_allowance", "城市低保": "low_income_allowance",
                      "农村低保": "low_income_allowance", "特困": "extreme_poverty",
                      "特困供养": "extreme_poverty", "低保边缘": "near_poverty"},
     "default_category": "", "date_formats": DATES, "id_in_certificate": False},
    {"code": "disabled_federation", "agency": "市残疾人联合会", "name": "持证残疾人名单",
     "column_map": {"id_number": "残疾证号", "name": "姓名", "address": "户籍地址", "valid_from": "发证日期",
                    "valid_to": "有效期至"},
     "category_map": {}, "default_category": "disabled", "date_formats": DATES, "id_in_certificate": True},
    {"code": "migrant_workers", "agency": "市人力资源和社会保障局、市总工会", "name": "农民工实名登记名单",
     "column_map": {"id_number": "公民身份号码", "name": "姓名", "address": "现居住地址", "valid_from": "登记日期",
                    "valid_to": "合同终止日期"},
     "category_map": {}, "default_category": "migrant_worker",
     "date_formats": [*DATES, "%Y年%m月%d日"], "id_in_certificate": False},
    {"code": "rural_revitalization", "agency": "市农业农村局（乡村振兴）", "name": "脱贫户和防止返贫监测对象名单",
     "column_map": {"id_number": "证件号码", "name": "姓名", "household_key": "户编号", "category": "监测类型",
                    "place_code": "村代码", "address": "所在村组", "valid_from": "纳入日期",
                    "valid_to": "标识消除日期"},
     "category_map": {"脱贫户": "registered_poor", "建档立卡户": "registered_poor", "监测户": "registered_poor",
                      "防止返贫监测对象": "registered_poor", "突发严重困难户": "registered_poor"},
     "default_category": "", "date_formats": DATES, "id_in_certificate": False},
    {"code": "veterans", "agency": "市退役军人事务局", "name": "优抚对象名单",
     "column_map": {"id_number": "身份证号", "name": "姓名", "category": "优抚类别", "address": "联系地址",
                    "valid_from": "享受起始日期"},
     "category_map": {k: "entitled_group" for k in ("残疾军人", "烈士遗属", "因公牺牲军人遗属", "病故军人遗属",
                                                    "在乡复员军人", "带病回乡退伍军人", "参战参试退役军人")},
     "default_category": "", "date_formats": [*DATES, "%Y.%m.%d"], "id_in_certificate": False},
]
