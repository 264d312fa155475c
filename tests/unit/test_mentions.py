"""Names are found as whole words in Latin scripts and anywhere in CJK, longest first."""

from site_builder.markdown.matcher import MentionMatcher

MATCHER = MentionMatcher({"Zhipu": "z", "Zhipu AI": "z-ai", "智谱": "z-cjk", "Ali": "ali",
                          "Alibaba": "alibaba", "Tang Jie": "tang", "C++": "cpp"})


def found(text):
    return [(text[s:e], t) for s, e, t in MATCHER.find(text)]


def test_longest_name_wins():
    assert found("Zhipu AI said") == [("Zhipu AI", "z-ai")]
    assert found("Zhipu said") == [("Zhipu", "z")]


def test_latin_names_match_whole_words_only():
    assert found("Alibabas and Alibaba's and Zhipuu") == [("Alibaba", "alibaba")]
    assert found("Ali Alibaba") == [("Ali", "ali"), ("Alibaba", "alibaba")]
    assert found("Tang Jiexi") == []
    assert found("café Zhipu, (Zhipu)") == [("Zhipu", "z"), ("Zhipu", "z")]


def test_cjk_names_match_without_word_boundaries():
    assert found("据智谱AI称") == [("智谱", "z-cjk")]
    assert found("智谱Zhipu") == [("智谱", "z-cjk"), ("Zhipu", "z")]


def test_names_ending_in_symbols_still_match():
    assert found("C++ code") == [("C++", "cpp")]


def test_no_names_matches_nothing():
    assert list(MentionMatcher({}).find("Zhipu")) == []
