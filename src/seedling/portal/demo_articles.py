"""The demo's help articles (帮助文章): written for children and carers, in Chinese and English.

Plain text, paragraphs separated by a blank line (the portal shows them escaped, as paragraphs).
"""

ARTICLES = [
    {
        "slug": "when-you-feel-down",
        "topic": "feelings",
        "audience": "children",
        "order": 10,
        "title_zh": "心情不好的时候，可以做什么",
        "title_en": "What you can do when you feel down",
        "body_zh": """每个人都会有心情不好的时候：考试没考好，和朋友闹了别扭，想念不在身边的家人，或者说不清为什么，就是觉得闷闷的。这些感受都很正常，不代表你不够好，也不代表你做错了什么。

先给自己一点时间。可以找一个安静的地方坐一会儿，慢慢地深呼吸：用鼻子吸气，心里数到四；再用嘴巴慢慢呼气，数到六。做五次，身体会放松一些。

做一件让自己舒服的小事。听一首喜欢的歌，画一幅画，出去走一走，和小狗小猫玩一会儿，或者把心里的话写在本子上。写下来的烦恼，常常会变得没那么大。

找一个信任的人说说。可以是爸爸妈妈、爷爷奶奶、老师、儿童主任，也可以是好朋友。你不需要把事情说得很清楚，一句“我最近不太开心”就是很好的开始。

如果难过的感觉持续了两个星期以上，让你吃不下、睡不好、什么都不想做，或者你有了伤害自己的念头，请一定要告诉大人，或者打求助电话。这不是麻烦别人，而是照顾好自己。你值得被帮助。""",
        "body_en": """Everyone has days when they feel down: a test went badly, you fell out with a friend, you miss family who are far away, or you just feel heavy without knowing why. These feelings are normal. They do not mean you are not good enough or that you did something wrong.

Give yourself a little time first. Find a quiet place, sit down and breathe slowly: in through your nose while you count to four, then out through your mouth while you count to six. Do this five times and your body will relax a bit.

Do one small thing that feels good. Listen to a song you like, draw something, go for a walk, play with a dog or a cat, or write what is on your mind in a notebook. Worries that are written down often feel smaller.

Talk to someone you trust. It can be your mum or dad, a grandparent, a teacher, your child director or a good friend. You do not have to explain everything. "I haven't been feeling happy lately" is a very good start.

If the sad feeling lasts more than two weeks, if you cannot eat or sleep well or do not want to do anything, or if you have thoughts of hurting yourself, please tell an adult or call a helpline. That is not being a bother: it is taking care of yourself. You deserve help.""",
    },
    {
        "slug": "nervous-before-exams",
        "topic": "study",
        "audience": "children",
        "order": 10,
        "title_zh": "考试前很紧张，怎么办",
        "title_en": "Feeling nervous before exams",
        "body_zh": """考试前心跳加快、手心出汗、睡不着觉，很多同学都有过。一点点紧张其实能帮你集中注意力；但如果紧张得什么都做不进去，就需要想办法让自己松一松。

把复习拆成小块。与其对自己说“我要把整本书复习完”，不如说“今天下午我把第三单元的生字写一遍”。每完成一小块，就在纸上打个勾，给自己一点鼓励。

照顾好身体。按时吃饭，晚上早点睡，白天动一动。熬夜复习会让第二天脑子更累，记住的东西反而更少。

紧张的时候试试“慢呼吸”：吸气数到四，屏住数到二，呼气数到六。考试开始前做三次，会平静很多。遇到不会的题，先跳过，做完会的再回来。

一次考试不能决定你是什么样的人。如果总是担心考不好，担心得吃不下、睡不着，或者害怕得不想上学，可以和老师、家人或心理辅导老师聊一聊，他们会帮你一起想办法。""",
        "body_en": """A racing heart, sweaty hands and trouble sleeping before an exam: many students know this. A little nervousness can help you concentrate, but if you are so nervous that nothing goes in, it is time to help yourself relax.

Break revision into small pieces. Instead of telling yourself "I have to revise the whole book", say "this afternoon I will write out the new words of unit three". Tick off each piece when it is done and give yourself some credit.

Look after your body. Eat at regular times, go to bed early and move around during the day. Staying up late to revise makes your brain more tired the next day, so you remember less, not more.

When you feel tense, try slow breathing: breathe in for four, hold for two, breathe out for six. Do it three times before the exam starts and you will feel much calmer. If a question stumps you, skip it and come back after you have done the ones you know.

One exam does not decide who you are. If you keep worrying about doing badly, so much that you cannot eat or sleep, or you are too scared to go to school, talk to a teacher, your family or the school counsellor. They will help you find a way.""",
    },
    {
        "slug": "missing-parents-far-away",
        "topic": "family",
        "audience": "children",
        "order": 10,
        "title_zh": "爸爸妈妈在外地打工，我很想他们",
        "title_en": "When your parents work far away and you miss them",
        "body_zh": """很多小朋友的爸爸妈妈在外地工作，一年只能回来一两次。想念他们、送他们走的时候哭，都是因为你们彼此很重要。想念不是坏事，也不丢人。

和爸爸妈妈约一个固定的时间通电话或视频，比如每个星期六晚上。可以提前想好要说的事：学校里发生的趣事、新学会的本领、最近的烦恼。也可以给他们写信、画画，拍照发过去。

爸爸妈妈在外面辛苦工作，是为了让家里过得更好，并不是因为不爱你。如果你心里有委屈或者生气，也可以直接告诉他们，他们会想知道你的真实感受。

身边照顾你的爷爷奶奶、外公外婆或者亲戚，也很关心你。有事情可以告诉他们，也可以告诉老师和村里的儿童主任。

如果家里没有大人照顾你、你经常一个人在家，或者有人对你不好，这不是你应该独自承受的事。请告诉老师、儿童主任，或者打求助电话。""",
        "body_en": """Many children have parents who work in another city and come home only once or twice a year. Missing them, and crying when they leave, happen because you matter so much to each other. Missing someone is not bad, and it is nothing to be ashamed of.

Agree on a regular time to call or video chat, for example every Saturday evening. Think beforehand about what you want to share: something funny at school, something new you learned, something that is bothering you. You can also write letters or draw pictures and send photos of them.

Your parents work hard far away to make life better for the family, not because they do not love you. If you feel hurt or angry, you can tell them so. They will want to know how you really feel.

The grandparents, relatives or carers who look after you care about you too. You can tell them what is going on, and you can also talk to your teacher and your village child director.

If no adult is looking after you, if you are often home alone, or if someone is treating you badly, you should not have to carry that alone. Please tell a teacher or your child director, or call a helpline.""",
    },
    {
        "slug": "if-someone-bullies-you",
        "topic": "friends",
        "audience": "children",
        "order": 10,
        "title_zh": "被人欺负了，怎么办",
        "title_en": "If someone is bullying you",
        "body_zh": """被人起难听的外号、被故意孤立、被抢东西、被推打，或者在网上被人嘲笑，这些都是欺凌。被欺负绝不是你的错，你不需要改变自己去讨好欺负你的人。

遇到欺凌时，尽量保持冷静，大声而坚定地说“停下，我不喜欢这样”，然后离开，去有老师或大人的地方。不要一个人去找对方“算账”，以免受到更大的伤害。

一定要告诉大人。可以告诉班主任、心理老师、家长或儿童主任。把发生了什么、在哪里、什么时候、有谁在场记下来；网上的欺凌可以截图保存。告诉大人不是“打小报告”，而是保护自己。

和愿意帮助你的同学待在一起。如果你看到别人被欺负，也可以陪在他身边，或者帮他去找老师。一个人的勇气，常常能让欺凌停下来。

如果被欺负让你很害怕、不想上学，或者你受了伤，请马上告诉大人或打求助电话。学校和老师有责任保护每一个学生。""",
        "body_en": """Being called nasty names, being left out on purpose, having your things taken, being pushed or hit, or being mocked online: all of these are bullying. Being bullied is never your fault, and you do not need to change yourself to please the person doing it.

When it happens, try to stay calm. Say loudly and firmly, "Stop, I don't like this," then walk away to where there is a teacher or another adult. Do not go after the bully on your own: you could get hurt worse.

Always tell an adult: your class teacher, the school counsellor, your parents or your child director. Write down what happened, where, when and who was there; take screenshots of online bullying. Telling an adult is not telling tales. It is protecting yourself.

Stay close to classmates who are on your side. If you see someone else being bullied, you can stand next to them or go and get a teacher. One person's courage often makes bullying stop.

If bullying makes you scared, makes you not want to go to school, or you have been hurt, tell an adult right away or call a helpline. Schools and teachers have a duty to protect every student.""",
    },
    {
        "slug": "your-body-your-safety",
        "topic": "safety",
        "audience": "all",
        "order": 10,
        "title_zh": "身体是你自己的：不安全时怎么求助",
        "title_en": "Your body belongs to you: getting help when you are not safe",
        "body_zh": """你的身体属于你自己。背心和短裤遮住的地方是隐私部位，除了医生检查（身边要有家长陪着）和你年纪小时家长帮你洗澡，任何人都不可以看、不可以摸，也不可以让你去看、去摸别人的隐私部位。

如果有人让你觉得不舒服、害怕，不管他是陌生人还是认识的人，你都可以大声说“不！”，然后马上离开，去找信任的大人。如果有人说“这是我们之间的秘密，不能告诉别人”，这样的秘密一定要说出来。

让你难过、害怕的事情，哪怕已经过去了很久，也可以说。说出来的孩子是勇敢的，发生这样的事情不是你的错。大人知道以后，有责任保护你。

如果你现在就有危险，请拨打 110。也可以打 12355 青少年服务台，或者告诉老师、儿童主任。

写给家长：请经常和孩子聊聊身体安全，认真听孩子说的话。孩子告诉您不好的事情时，先相信他、安慰他，不要责骂，然后尽快寻求帮助。""",
        "body_en": """Your body belongs to you. The parts covered by your vest and underpants are private. Apart from a doctor's check-up (with a parent present) and a parent helping you wash when you are little, nobody may look at them or touch them, and nobody may make you look at or touch theirs.

If someone makes you feel uncomfortable or scared, whether a stranger or someone you know, you can shout "No!", leave at once and go to an adult you trust. If someone says "this is our secret, don't tell anyone", that is exactly the kind of secret you must tell.

You can talk about things that upset or frightened you even if they happened long ago. Children who speak up are brave, and what happened is not your fault. Once an adult knows, it is their duty to protect you.

If you are in danger right now, call 110. You can also call the 12355 youth service line, or tell a teacher or your child director.

For parents and carers: talk with your child about body safety often, and listen carefully to what they say. If your child tells you something bad happened, believe and comfort them first, do not scold, and get help as soon as you can.""",
    },
    {
        "slug": "sleeping-well",
        "topic": "sleep",
        "audience": "all",
        "order": 10,
        "title_zh": "睡个好觉",
        "title_en": "Sleeping well",
        "body_zh": """睡得好，心情和学习都会好。小学生每天大约需要睡 10 个小时，初中生大约 9 个小时，高中生大约 8 个小时。

每天尽量在同一时间上床、同一时间起床，周末也不要相差太多。睡前一个小时放下手机、平板和电视，屏幕的光会让大脑以为还是白天。

睡前可以洗个热水澡、看几页轻松的书、听听安静的音乐。晚上不要喝浓茶、咖啡和含咖啡因的饮料。白天多到户外晒晒太阳、跑跑跳跳，晚上更容易睡着。

如果躺下后脑子里总在想事情，可以把担心的事写在纸上，告诉自己“明天再想”。睡不着也不要着急，安静地躺着、慢慢呼吸，身体也在休息。

如果很长时间都睡不好，白天总是很困、没精神，或者经常做噩梦被吓醒，可以告诉家人、老师或者医生，请他们帮帮你。""",
        "body_en": """Good sleep helps your mood and your learning. Primary school children need about 10 hours a night, junior secondary students about 9 and senior secondary students about 8.

Try to go to bed and get up at the same time every day, and keep weekends close to that. Put away phones, tablets and the TV an hour before bed: the light from screens tells your brain it is still daytime.

Before bed, have a warm shower, read a few pages of something light or listen to quiet music. Avoid strong tea, coffee and drinks with caffeine in the evening. Spending time outdoors in daylight and being active during the day makes it easier to fall asleep at night.

If your mind keeps going over things when you lie down, write the worries on a piece of paper and tell yourself, "I'll think about it tomorrow." If you cannot sleep, do not panic: lie quietly and breathe slowly; your body is still resting.

If you have slept badly for a long time, feel sleepy and tired all day, or often wake up from bad dreams, tell your family, a teacher or a doctor so they can help.""",
    },
    {
        "slug": "when-your-child-goes-quiet",
        "topic": "parenting",
        "audience": "guardians",
        "order": 10,
        "title_zh": "孩子不爱说话了，家长和照料人可以怎么做",
        "title_en": "When your child goes quiet: what parents and carers can do",
        "body_zh": """孩子长大一些，话变少、爱关起门来，有时是正常的成长。但如果孩子突然变得沉默、不愿上学、吃饭睡觉明显变化，或者常说“没意思”“活着真累”，就需要多留心了。

每天留出一点专门陪孩子的时间，哪怕只有十分钟：一起吃饭、散步、做家务。少问“作业写完没有”“考了多少分”，多问“今天有什么开心或者不开心的事”。孩子说话时，放下手机，看着他，先听完再说。

孩子说出烦恼时，先接住他的感受：“听起来你很难过”“这件事换成我也会生气”，而不是马上批评或讲道理。被理解的孩子，才愿意继续说。

在外地打工的父母，可以和孩子约定固定的通话时间，多问问孩子的生活和心情；在家照料孩子的爷爷奶奶、亲戚，有拿不准的事情，可以找老师或村里的儿童主任商量。

如果孩子说过想伤害自己、不想活了，请一定认真对待：不要责骂，陪在孩子身边，把危险物品收好，尽快联系学校心理老师、医院或拨打求助电话。照顾孩子的大人也需要被照顾，您不必一个人扛。""",
        "body_en": """As children grow, talking less and closing the door more can be a normal part of growing up. But if your child suddenly becomes silent, does not want to go to school, eats or sleeps very differently, or often says things like "nothing matters" or "living is exhausting", pay closer attention.

Set aside a little time for your child every day, even ten minutes: eat together, go for a walk, do a chore together. Ask less about homework and marks, and more about "what was good or hard today". When your child talks, put your phone down, look at them and listen to the end before you answer.

When your child shares a worry, acknowledge the feeling first: "that sounds really hard", "I would be angry too", rather than criticising or lecturing straight away. Children who feel understood keep talking.

Parents working far away can agree on regular call times and ask about their child's daily life and feelings. Grandparents and relatives caring for a child can talk things through with the teacher or the village child director when they are unsure.

If your child has said they want to hurt themselves or do not want to live, take it seriously: do not scold, stay with them, put dangerous items away, and contact the school counsellor, a hospital or a helpline as soon as possible. The adults who care for children need care too; you do not have to carry this alone.""",
    },
]
