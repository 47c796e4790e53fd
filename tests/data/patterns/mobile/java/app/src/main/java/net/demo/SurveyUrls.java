package net.demo;

// Whole endpoint URLs as constants, built on a host constant.
public class SurveyUrls {
    public static final String HOST_NAME = "survey.demo.net";
    public static final String HOST = "https://" + HOST_NAME; /*+ ":" + PORT*/;
    public static final String RANKING_URL = HOST + "/api/v2/stats/ranking";
    public static final String SEARCH_URL = HOST + "/api/v2/sites/search";
}
