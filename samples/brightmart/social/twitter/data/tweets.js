window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000010000"
          ],
          "editableUntil": "2026-10-07T10:00:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "92",
              "105"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm00xYz9Q",
            "expanded_url": "https://brightmart.example",
            "display_url": "brightmart.example",
            "indices": [
              "69",
              "91"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "105"
      ],
      "favorite_count": "4",
      "id_str": "1840000000000010000",
      "truncated": false,
      "retweet_count": "0",
      "id": "1840000000000010000",
      "created_at": "Wed Oct 07 10:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Stylish home essentials at everyday low prices. Brighten every room. https://t.co/bm00xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000009000"
          ],
          "editableUntil": "2026-10-05T15:30:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "95",
              "108"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm01xYz9Q",
            "expanded_url": "https://brightmart.example/cozy-throw-blanket",
            "display_url": "brightmart.example/cozy-throw-blanket",
            "indices": [
              "72",
              "94"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "108"
      ],
      "favorite_count": "5",
      "id_str": "1840000000000009000",
      "truncated": false,
      "retweet_count": "1",
      "id": "1840000000000009000",
      "created_at": "Mon Oct 05 15:30:00 +0000 2026",
      "favorited": false,
      "full_text": "Wrap up for autumn. The Cozy Throw Blanket is $49. Brighten every room. https://t.co/bm01xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000008000"
          ],
          "editableUntil": "2026-10-03T09:15:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "103",
              "116"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm02xYz9Q",
            "expanded_url": "https://brightmart.example/returns",
            "display_url": "brightmart.example/returns",
            "indices": [
              "80",
              "102"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "116"
      ],
      "favorite_count": "6",
      "id_str": "1840000000000008000",
      "truncated": false,
      "retweet_count": "2",
      "id": "1840000000000008000",
      "created_at": "Sat Oct 03 09:15:00 +0000 2026",
      "favorited": false,
      "full_text": "Changed your mind? You can return any item within 30 days. Brighten every room. https://t.co/bm02xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000007000"
          ],
          "editableUntil": "2026-10-01T12:00:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "87",
              "100"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm03xYz9Q",
            "expanded_url": "https://brightmart.example/shipping",
            "display_url": "brightmart.example/shipping",
            "indices": [
              "64",
              "86"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "100"
      ],
      "favorite_count": "7",
      "id_str": "1840000000000007000",
      "truncated": false,
      "retweet_count": "3",
      "id": "1840000000000007000",
      "created_at": "Thu Oct 01 12:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Standard delivery takes 3-5 business days. Brighten every room. https://t.co/bm03xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000006000"
          ],
          "editableUntil": "2026-09-29T17:45:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "100",
              "113"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm04xYz9Q",
            "expanded_url": "https://brightmart.example/linen-duvet-cover",
            "display_url": "brightmart.example/linen-duvet-cover",
            "indices": [
              "77",
              "99"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "113"
      ],
      "favorite_count": "8",
      "id_str": "1840000000000006000",
      "truncated": false,
      "retweet_count": "4",
      "id": "1840000000000006000",
      "created_at": "Tue Sep 29 17:45:00 +0000 2026",
      "favorited": false,
      "full_text": "Sleep cool, wake up cozy. The Linen Duvet Cover is $89. Brighten every room. https://t.co/bm04xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000005500"
          ],
          "editableUntil": "2026-09-27T09:00:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "142",
              "155"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm10xYz9Q",
            "expanded_url": "https://brightmart.example/about",
            "display_url": "brightmart.example/about",
            "indices": [
              "119",
              "141"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "155"
      ],
      "favorite_count": "11",
      "id_str": "1840000000000005500",
      "truncated": false,
      "retweet_count": "2",
      "id": "1840000000000005500",
      "created_at": "Sun Sep 27 09:00:00 +0000 2026",
      "favorited": false,
      "full_text": "We believe a well-loved home should be within everyone's reach, so our prices stay low every day. Brighten every room. https://t.co/bm10xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000005000"
          ],
          "editableUntil": "2026-09-26T11:20:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "61",
              "74"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Home Stylist",
            "screen_name": "homestylist",
            "id_str": "987654321",
            "id": "987654321",
            "indices": [
              "3",
              "15"
            ]
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "74"
      ],
      "favorite_count": "9",
      "id_str": "1840000000000005000",
      "truncated": false,
      "retweet_count": "5",
      "id": "1840000000000005000",
      "created_at": "Sat Sep 26 11:20:00 +0000 2026",
      "favorited": false,
      "full_text": "RT @homestylist: Loving my new speckled mugs from BrightMart #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000004000"
          ],
          "editableUntil": "2026-09-24T14:10:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "135",
              "148"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm06xYz9Q",
            "expanded_url": "https://brightmart.example/contact",
            "display_url": "brightmart.example/contact",
            "indices": [
              "112",
              "134"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "148"
      ],
      "favorite_count": "10",
      "id_str": "1840000000000004000",
      "truncated": false,
      "retweet_count": "6",
      "id": "1840000000000004000",
      "created_at": "Thu Sep 24 14:10:00 +0000 2026",
      "favorited": false,
      "full_text": "Our customer care team is available Monday to Friday, 9am-5pm. Call us at +1 800 555 0142. Brighten every room. https://t.co/bm06xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000003000"
          ],
          "editableUntil": "2026-09-22T16:00:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Home Stylist",
            "screen_name": "homestylist",
            "id_str": "987654321",
            "id": "987654321",
            "indices": [
              "0",
              "12"
            ]
          }
        ],
        "urls": [
          {
            "url": "https://t.co/bm07xYz9Q",
            "expanded_url": "https://brightmart.example",
            "display_url": "brightmart.example",
            "indices": [
              "97",
              "119"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "119"
      ],
      "favorite_count": "11",
      "id_str": "1840000000000003000",
      "truncated": false,
      "retweet_count": "7",
      "id": "1840000000000003000",
      "created_at": "Tue Sep 22 16:00:00 +0000 2026",
      "favorited": false,
      "full_text": "@homestylist Thanks for sharing your kitchen! The Stoneware Mug Set is $24. Brighten every room. https://t.co/bm07xYz9Q",
      "lang": "en",
      "in_reply_to_status_id_str": "1839999999999999001",
      "in_reply_to_status_id": "1839999999999999001",
      "in_reply_to_user_id": "987654321",
      "in_reply_to_user_id_str": "987654321",
      "in_reply_to_screen_name": "homestylist"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000002000"
          ],
          "editableUntil": "2026-09-19T10:30:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "128",
              "141"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm08xYz9Q",
            "expanded_url": "https://brightmart.example/about",
            "display_url": "brightmart.example/about",
            "indices": [
              "105",
              "127"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "141"
      ],
      "favorite_count": "12",
      "id_str": "1840000000000002000",
      "truncated": false,
      "retweet_count": "8",
      "id": "1840000000000002000",
      "created_at": "Sat Sep 19 10:30:00 +0000 2026",
      "favorited": false,
      "full_text": "Our in-house design team picks every piece to mix and match across your whole home. Brighten every room. https://t.co/bm08xYz9Q #FreshForLess",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1840000000000001000"
          ],
          "editableUntil": "2026-09-16T13:00:00+00:00",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "FreshForLess",
            "indices": [
              "98",
              "111"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/bm09xYz9Q",
            "expanded_url": "https://brightmart.example/contact",
            "display_url": "brightmart.example/contact",
            "indices": [
              "75",
              "97"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "111"
      ],
      "favorite_count": "13",
      "id_str": "1840000000000001000",
      "truncated": false,
      "retweet_count": "9",
      "id": "1840000000000001000",
      "created_at": "Wed Sep 16 13:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Prefer to write? Email us at care@brightmart.example. Brighten every room. https://t.co/bm09xYz9Q #FreshForLess",
      "lang": "en"
    }
  }
]
