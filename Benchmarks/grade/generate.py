#!/usr/bin/env python3
"""Generates a synthetic province for `kaohe grade`: 10,000 teams and 100,000 cadres with realistic votes
and facts (composite parts, events, leave, investigations, retirements, secondments, regular results,
human proposals). Deterministic for a given seed.

Shapes: `mixed` (default) gives a third of the teams `parts` and the rest a `score`; `both` gives every team both
`parts` and a `score` (the score is then used, R-S2), the second shape of issue 9. Cadres carry four `regular`
results each in both.

usage: generate.py OUTPUT.json [--teams 10000] [--cadres-per-team 10] [--seed 2022] [--shape mixed|both]
"""
import argparse
import json
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("output")
    ap.add_argument("--teams", type=int, default=10_000)
    ap.add_argument("--cadres-per-team", type=int, default=10)
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument("--shape", choices=["mixed", "both"], default="mixed")
    args = ap.parse_args()
    rnd = random.Random(args.seed)

    categories = ["乡镇街道", "县直单位", "县管企业", "学校医院"]
    names = "城关 张官营 琴台 梁洼 辛集 马楼 赵村 尧山 团城 瓦屋 熊背 观音寺 四棵树 仓头 下汤 让河 董周 磙子营".split()
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
    given = "建国 红梅 志强 丽 涛 敏 伟 刚 静 强 东 平 洁 磊 帆 琳 军 芳 勇 艳 杰 娟 明 霞 超 华 辉 鹏 燕 飞".split()
    events = ["massIncident", "heldAccountable", "partyBuildingLast", "majorCorruption"]

    teams = []
    cadres = []
    for t in range(args.teams):
        category = categories[t % len(categories)] if t % 7 else "乡镇街道"
        team = {
            "id": f"T{t:05d}",
            "name": f"{names[t % len(names)]}{t // len(names)}{'镇' if category == '乡镇街道' else '局'}",
            "category": category,
        }
        base = rnd.gauss(86, 4)
        if args.shape == "both" or t % 3 == 0:
            team["parts"] = {
                "综合考评": round(min(100, max(50, base + rnd.gauss(0, 2))), 1),
                "党建高质量考核": round(min(100, max(50, base + rnd.gauss(0, 2))), 1),
                "高质量发展考核": round(min(100, max(50, base + rnd.gauss(0, 2))), 1),
            }
        if args.shape == "both" or t % 3 != 0:
            team["score"] = round(min(100, max(50, base)), 1)
        voters = rnd.randint(25, 80)
        # About 3% of teams are rated poorly (R-T1 special reports).
        good = rnd.betavariate(2, 3) if rnd.random() < 0.03 else rnd.betavariate(8, 2)
        a = int(voters * good)
        b = int((voters - a) * 0.6)
        c = voters - a - b
        d = 1 if c > 3 and rnd.random() < 0.2 else 0
        team["votes"] = {"好": a, "较好": b, "一般": c - d, "差": d}
        if rnd.random() < 0.03:
            team["events"] = [rnd.choice(events)]
        if rnd.random() < 0.05:
            team["proposal"] = "优秀"
        teams.append(team)

        for k in range(args.cadres_per_team):
            cid = f"C{t:05d}{k:02d}"
            c = {
                "id": cid,
                "name": rnd.choice(surnames) + rnd.choice(given),
                "team": team["id"],
                "principal": k == 0,
                "score": round(min(100, max(50, base + rnd.gauss(0, 3))), 1),
            }
            weak = rnd.random() < 0.03  # R-T2 special reports
            ex = rnd.betavariate(2, 6) if weak else rnd.betavariate(6, 3)
            e = int(voters * ex)
            s = int((voters - e) * (0.4 if weak else 0.8))
            u = 1 if rnd.random() < 0.03 else 0
            c["votes"] = {"优秀": e, "称职": s, "基本称职": voters - e - s - u, "不称职": u}
            c["regular"] = [rnd.choice(["优秀", "良好", "良好", "一般"]) for _ in range(4)]
            facts = {}
            r = rnd.random()
            if r < 0.01:
                facts["leaveDays"] = rnd.randint(150, 250)
            elif r < 0.015:
                facts["underInvestigation"] = True
            elif r < 0.025:
                facts["retiredOn"] = f"2022-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            elif r < 0.035:
                s = {"fromLevel": rnd.choice(["province", "city", "county"]), "monthsInHost": rnd.randint(2, 12)}
                if s["monthsInHost"] < 6:
                    s["fromTeam"] = f"T{rnd.randrange(args.teams):05d}"  # R-E3/R-E4: assessed in the original team
                facts["secondment"] = s
            elif r < 0.04:
                facts["villageTeam"] = True
            if facts:
                c["facts"] = facts
            if k == 0 and category in ("乡镇街道", "县直单位"):
                c["separateList"] = True
            if rnd.random() < 0.02:
                c["proposal"] = rnd.choice(["优秀", "称职"])
            cadres.append(c)

    with open(args.output, "w", encoding="utf-8") as f:
        json.dump({"year": 2022, "cutoff": "2022-12-31", "teams": teams, "cadres": cadres}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
