"""The demo sign-ins, one per role, listed on the home page while the demo data set is loaded."""

DEMO_PASSWORD = "gongshu-demo-2026"  # noqa: S105 - synthetic demo accounts, printed on the home page

DEMO_LOGINS = [
    {"username": "district", "role": "区文旅局干部 district officer", "scope": "全区"},
    {"username": "hushu", "role": "街道文化站干部 subdistrict officer", "scope": "湖墅街道"},
    {
        "username": "community",
        "role": "社区文化专干 community worker",
        "scope": "湖墅街道下属一个社区",
    },
    {"username": "venue", "role": "场馆管理员 venue manager", "scope": "区图书馆"},
    {"username": "library", "role": "图书馆馆员 librarian", "scope": "区图书馆及各分馆"},
    {"username": "evaluator", "role": "第三方评估员 evaluator", "scope": "全区（只读）"},
    {"username": "13800000001", "role": "居民 resident（手机号登录）", "scope": "本人"},
]
